/*
Copyright 2026 The kubectl-karmada Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package servicediscovery

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/event"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	"github.com/kubectl-karmada/kubectl-karmada/internal/mcs"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
)

// The watches in members are kept narrow: every ServiceExport (few and
// small), and for each exported service only its own Service (a field
// selector on the name) and its own EndpointSlices (a label selector on
// kubernetes.io/service-name). Nothing lists all the Services or
// EndpointSlices of a member. Every event wakes the service it is about.

var serviceExports = schema.GroupVersionResource{Group: mcsv1beta1.GroupName, Version: "v1beta1", Resource: "serviceexports"}

// The informers run among each member's own (internal/member): they stop
// when its credentials change or it leaves, and are made again, with the
// new clients, on the next pass.
const (
	exportsID      = "service-discovery/exports"
	scopedID       = "service-discovery/service/"
	servicesSuffix = "/services"
	slicesSuffix   = "/slices"
)

// scopedIDs name the two informers that watch one exported service.
func scopedIDs(key types.NamespacedName) (services, slices string) {
	return scopedID + key.String() + servicesSuffix, scopedID + key.String() + slicesSuffix
}

// memberWatch is the export watch of one member.
type memberWatch struct {
	m       *member.Member
	exports cache.SharedIndexInformer
}

// scopedWatch watches one exported service in one member.
type scopedWatch struct {
	services cache.SharedIndexInformer
	slices   cache.SharedIndexInformer
}

type watches struct {
	events chan<- event.TypedGenericEvent[types.NamespacedName]
}

func newWatches(events chan<- event.TypedGenericEvent[types.NamespacedName]) *watches {
	return &watches{events: events}
}

// wake enqueues the service an object is about.
func (w *watches) wake(serviceOf func(metav1.Object) string) func(any) {
	return func(obj any) {
		if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = tomb.Obj
		}
		m, ok := obj.(metav1.Object)
		if !ok {
			return
		}
		if name := serviceOf(m); name != "" {
			w.events <- event.TypedGenericEvent[types.NamespacedName]{Object: types.NamespacedName{Namespace: m.GetNamespace(), Name: name}}
		}
	}
}

func eventHandler(wake func(any)) cache.ResourceEventHandlerFuncs {
	return cache.ResourceEventHandlerFuncs{AddFunc: wake, UpdateFunc: func(_, o any) { wake(o) }, DeleteFunc: wake}
}

func ownName(m metav1.Object) string { return m.GetName() }

// member returns the export watch of a member, starting it once.
func (w *watches) member(m *member.Member) (*memberWatch, error) {
	informer, err := m.Watch(exportsID, func() (cache.SharedIndexInformer, error) {
		informer := dynamicinformer.NewFilteredDynamicInformer(m.Dynamic, serviceExports, metav1.NamespaceAll, 0, cache.Indexers{}, nil).Informer()
		_, err := informer.AddEventHandler(eventHandler(w.wake(ownName)))
		return informer, err
	})
	if err != nil {
		return nil, err
	}
	return &memberWatch{m: m, exports: informer}, nil
}

// keys lists every exported service the members have, and those still
// watched where the export went (so their imports are cleaned up).
func (w *watches) keys(members []*member.Member) []types.NamespacedName {
	seen := map[types.NamespacedName]bool{}
	var out []types.NamespacedName
	add := func(k types.NamespacedName) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, m := range members {
		if exports, ok := m.Watching(exportsID); ok {
			for _, key := range exports.GetStore().ListKeys() {
				ns, name, _ := cache.SplitMetaNamespaceKey(key)
				add(types.NamespacedName{Namespace: ns, Name: name})
			}
		}
		for _, id := range m.WatchIDs(scopedID) {
			if key, ok := strings.CutSuffix(strings.TrimPrefix(id, scopedID), servicesSuffix); ok {
				ns, name, _ := cache.SplitMetaNamespaceKey(key)
				add(types.NamespacedName{Namespace: ns, Name: name})
			}
		}
	}
	return out
}

// synced reports whether the export watch has its first list.
func (mw *memberWatch) synced() bool { return mw.exports.HasSynced() }

// export returns the member's ServiceExport of a service, if any.
func (mw *memberWatch) export(key types.NamespacedName) (*unstructured.Unstructured, bool) {
	obj, ok, err := mw.exports.GetStore().GetByKey(key.String())
	if err != nil || !ok {
		return nil, false
	}
	u, ok := obj.(*unstructured.Unstructured)
	return u, ok
}

// scope starts (once) the watches of one exported service and returns
// them.
func (w *watches) scope(mw *memberWatch, key types.NamespacedName) (*scopedWatch, error) {
	servicesID, slicesID := scopedIDs(key)
	services, err := mw.m.Watch(servicesID, func() (cache.SharedIndexInformer, error) {
		informer := informers.NewSharedInformerFactoryWithOptions(mw.m.Kube, 0, informers.WithNamespace(key.Namespace),
			informers.WithTweakListOptions(func(o *metav1.ListOptions) {
				o.FieldSelector = fields.OneTermEqualSelector("metadata.name", key.Name).String()
			})).Core().V1().Services().Informer()
		_, err := informer.AddEventHandler(eventHandler(w.wake(ownName)))
		return informer, err
	})
	if err != nil {
		return nil, err
	}
	slices, err := mw.m.Watch(slicesID, func() (cache.SharedIndexInformer, error) {
		informer := informers.NewSharedInformerFactoryWithOptions(mw.m.Kube, 0, informers.WithNamespace(key.Namespace),
			informers.WithTweakListOptions(func(o *metav1.ListOptions) {
				o.LabelSelector = discoveryv1.LabelServiceName + "=" + key.Name
			})).Discovery().V1().EndpointSlices().Informer()
		_, err := informer.AddEventHandler(eventHandler(w.wake(func(m metav1.Object) string { return m.GetLabels()[discoveryv1.LabelServiceName] })))
		return informer, err
	})
	if err != nil {
		return nil, err
	}
	return &scopedWatch{services: services, slices: slices}, nil
}

// unscope stops the watches of a service no longer exported there.
func (w *watches) unscope(mw *memberWatch, key types.NamespacedName) {
	servicesID, slicesID := scopedIDs(key)
	mw.m.Unwatch(servicesID)
	mw.m.Unwatch(slicesID)
}

func (s *scopedWatch) synced() bool { return s.services.HasSynced() && s.slices.HasSynced() }

// service returns the exported Service, nil when there is none.
func (s *scopedWatch) service(key types.NamespacedName) *corev1.Service {
	obj, ok, err := s.services.GetStore().GetByKey(key.String())
	if err != nil || !ok {
		return nil
	}
	svc, _ := obj.(*corev1.Service)
	return svc
}

// endpointSlices returns the service's own slices, not copies we made.
func (s *scopedWatch) endpointSlices() []*discoveryv1.EndpointSlice {
	var out []*discoveryv1.EndpointSlice
	for _, obj := range s.slices.GetStore().List() {
		if slice, ok := obj.(*discoveryv1.EndpointSlice); ok && slice.Labels[discoveryv1.LabelManagedBy] != mcs.ManagedBy {
			out = append(out, slice)
		}
	}
	return out
}
