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
	"sync"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/event"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	"github.com/kubectl-karmada/kubectl-karmada/controllers/membership"
	"github.com/kubectl-karmada/kubectl-karmada/internal/mcs"
)

// The watches in members are kept narrow: every ServiceExport (few and
// small), and for each exported service only its own Service (a field
// selector on the name) and its own EndpointSlices (a label selector on
// kubernetes.io/service-name). Nothing lists all the Services or
// EndpointSlices of a member. Every event wakes the service it is about.

var serviceExports = schema.GroupVersionResource{Group: mcsv1beta1.GroupName, Version: "v1beta1", Resource: "serviceexports"}

// memberWatch is the set of informers of one member, made with one client.
type memberWatch struct {
	kube    kubernetes.Interface
	stop    chan struct{}
	exports cache.SharedIndexInformer
	// scoped holds the per-service informers, by namespace/name.
	scoped map[types.NamespacedName]*scopedWatch
}

// scopedWatch watches one exported service in one member.
type scopedWatch struct {
	stop     chan struct{}
	services cache.SharedIndexInformer
	slices   cache.SharedIndexInformer
}

type watches struct {
	events chan<- event.TypedGenericEvent[types.NamespacedName]

	mu      sync.Mutex
	members map[string]*memberWatch
}

func newWatches(events chan<- event.TypedGenericEvent[types.NamespacedName]) *watches {
	return &watches{events: events, members: map[string]*memberWatch{}}
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

// member returns the watches of a member, starting its export watch; new
// credentials (a new client) restart everything.
func (w *watches) member(m *membership.Member) (*memberWatch, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if mw, ok := w.members[m.Name]; ok {
		if mw.kube == m.Kube {
			return mw, nil
		}
		mw.close()
	}
	informer := dynamicinformer.NewFilteredDynamicInformer(m.Dynamic, serviceExports, metav1.NamespaceAll, 0, cache.Indexers{}, nil).Informer()
	if _, err := informer.AddEventHandler(eventHandler(w.wake(ownName))); err != nil {
		return nil, err
	}
	mw := &memberWatch{kube: m.Kube, stop: make(chan struct{}), exports: informer, scoped: map[types.NamespacedName]*scopedWatch{}}
	go informer.Run(mw.stop)
	w.members[m.Name] = mw
	return mw, nil
}

// forget stops every watch of a member.
func (w *watches) forget(member string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if mw, ok := w.members[member]; ok {
		mw.close()
		delete(w.members, member)
	}
}

// keys lists every exported service any member has.
func (w *watches) keys() []types.NamespacedName {
	w.mu.Lock()
	defer w.mu.Unlock()
	seen := map[types.NamespacedName]bool{}
	var out []types.NamespacedName
	for _, mw := range w.members {
		for _, key := range mw.exports.GetStore().ListKeys() {
			ns, name, _ := cache.SplitMetaNamespaceKey(key)
			k := types.NamespacedName{Namespace: ns, Name: name}
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		for k := range mw.scoped {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

func (mw *memberWatch) close() {
	close(mw.stop)
	for _, s := range mw.scoped {
		close(s.stop)
	}
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
// them; w is locked for the map.
func (w *watches) scope(mw *memberWatch, key types.NamespacedName) (*scopedWatch, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := mw.scoped[key]; ok {
		return s, nil
	}
	services := informers.NewSharedInformerFactoryWithOptions(mw.kube, 0, informers.WithNamespace(key.Namespace),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.FieldSelector = fields.OneTermEqualSelector("metadata.name", key.Name).String()
		})).Core().V1().Services().Informer()
	slices := informers.NewSharedInformerFactoryWithOptions(mw.kube, 0, informers.WithNamespace(key.Namespace),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.LabelSelector = discoveryv1.LabelServiceName + "=" + key.Name
		})).Discovery().V1().EndpointSlices().Informer()
	if _, err := services.AddEventHandler(eventHandler(w.wake(ownName))); err != nil {
		return nil, err
	}
	if _, err := slices.AddEventHandler(eventHandler(w.wake(func(m metav1.Object) string { return m.GetLabels()[discoveryv1.LabelServiceName] }))); err != nil {
		return nil, err
	}
	s := &scopedWatch{stop: make(chan struct{}), services: services, slices: slices}
	go services.Run(s.stop)
	go slices.Run(s.stop)
	mw.scoped[key] = s
	return s, nil
}

// unscope stops the watches of a service no longer exported there.
func (w *watches) unscope(mw *memberWatch, key types.NamespacedName) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := mw.scoped[key]; ok {
		close(s.stop)
		delete(mw.scoped, key)
	}
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
