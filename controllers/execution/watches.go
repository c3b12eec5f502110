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

package execution

import (
	"bytes"
	"encoding/json"
	"maps"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/event"

	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/membership"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// memberChange names the Work whose member object changed, and whether
// that object is now healthy.
type memberChange struct {
	work    types.NamespacedName
	healthy bool
}

// memberWatches keeps one informer per member and resource kind, limited
// by a label selector to the objects we applied, so memory stays small
// however big the members are. Each change wakes the Work it came from.
type memberWatches struct {
	events chan<- event.TypedGenericEvent[memberChange]

	mu      sync.Mutex
	running map[watchKey]*watch
}

// watch is one running informer.
type watch struct {
	stop     chan struct{}
	informer cache.SharedIndexInformer
}

type watchKey struct {
	// client tells apart the clients of one member rebuilt after new
	// credentials: the old informer stops, a new one starts.
	client dynamic.Interface
	member string
	gvr    schema.GroupVersionResource
}

func newMemberWatches(events chan<- event.TypedGenericEvent[memberChange]) *memberWatches {
	return &memberWatches{events: events, running: map[watchKey]*watch{}}
}

// ensure starts the watch of a kind in a member unless it runs.
func (w *memberWatches) ensure(member *membership.Member, gvr schema.GroupVersionResource) error {
	key := watchKey{client: member.Dynamic, member: member.Name, gvr: gvr}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.running[key]; ok {
		return nil
	}
	// Credentials changed: stop the watches made with the old client.
	for k, running := range w.running {
		if k.member == member.Name && k.client != member.Dynamic {
			close(running.stop)
			delete(w.running, k)
		}
	}
	informer := dynamicinformer.NewFilteredDynamicInformer(member.Dynamic, gvr, metav1.NamespaceAll, 0, cache.Indexers{},
		func(o *metav1.ListOptions) { o.LabelSelector = names.ManagedByLabel + "=true" })
	// Keep of each member object only what status reflection and the
	// ownership check read (a memberObject): name, generation, our labels, the template
	// generation annotation, and the status fields that are reflected. The
	// spec is the Work's; holding it again would double the memory.
	if err := informer.Informer().SetTransform(slim); err != nil {
		return err
	}
	wake := func(obj any, gone bool) {
		if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = tomb.Obj
		}
		o, ok := obj.(*memberObject)
		if !ok {
			return
		}
		ns, name := o.Labels[names.WorkNamespaceLabel], o.Labels[names.WorkNameLabel]
		if name != "" {
			change := memberChange{work: types.NamespacedName{Namespace: ns, Name: name}}
			change.healthy = !gone && o.Healthy
			w.events <- event.TypedGenericEvent[memberChange]{Object: change}
		}
	}
	if _, err := informer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) { wake(obj, false) },
		UpdateFunc: func(old, obj any) {
			// The member's controllers rewrite status fields we do not
			// keep (conditions, timestamps): no news for the Work.
			if !sameSlim(old, obj) {
				wake(obj, false)
			}
		},
		DeleteFunc: func(obj any) { wake(obj, true) },
	}); err != nil {
		return err
	}
	running := &watch{stop: make(chan struct{}), informer: informer.Informer()}
	w.running[key] = running
	go running.informer.Run(running.stop)
	return nil
}

// cached returns the object the watch of a member holds, if the watch runs
// and has synced. Only our objects are in it (the label selector).
func (w *memberWatches) cached(member *membership.Member, gvr schema.GroupVersionResource, namespace, name string) (*unstructured.Unstructured, bool) {
	w.mu.Lock()
	running, ok := w.running[watchKey{client: member.Dynamic, member: member.Name, gvr: gvr}]
	w.mu.Unlock()
	if !ok || !running.informer.HasSynced() {
		return nil, false
	}
	key := name
	if namespace != "" {
		key = namespace + "/" + name
	}
	obj, exists, err := running.informer.GetStore().GetByKey(key)
	if err != nil || !exists {
		return nil, false
	}
	o, ok := obj.(*memberObject)
	if !ok {
		return nil, false
	}
	return o.unstructured(), true
}

// forget stops every watch of a member that left.
func (w *memberWatches) forget(member string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, running := range w.running {
		if k.member == member {
			close(running.stop)
			delete(w.running, k)
		}
	}
}

// memberObject is what the watches keep of an object we applied to a
// member: what finds its Work, its generation and template generation, and
// the status fields that are reflected (as JSON). A few hundred bytes where
// the decoded object takes several KB; the spec is the Work's, holding it
// again would double the memory.
type memberObject struct {
	metav1.TypeMeta
	metav1.ObjectMeta
	Status []byte
	// Healthy is the object's health as reflection judges it, worked out
	// once when the object arrives rather than on every wake-up.
	Healthy bool
}

// DeepCopyObject implements runtime.Object.
func (o *memberObject) DeepCopyObject() runtime.Object {
	out := &memberObject{TypeMeta: o.TypeMeta, Status: bytes.Clone(o.Status), Healthy: o.Healthy}
	o.DeepCopyInto(&out.ObjectMeta)
	return out
}

// unstructured rebuilds the object as status reflection reads it.
func (o *memberObject) unstructured() *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{}}
	u.SetAPIVersion(o.APIVersion)
	u.SetKind(o.Kind)
	u.SetNamespace(o.Namespace)
	u.SetName(o.Name)
	u.SetUID(o.UID)
	u.SetResourceVersion(o.ResourceVersion)
	u.SetGeneration(o.Generation)
	u.SetLabels(o.Labels)
	u.SetAnnotations(o.Annotations)
	if len(o.Status) > 0 {
		status := map[string]any{}
		if json.Unmarshal(o.Status, &status) == nil {
			u.Object["status"] = status
		}
	}
	return u
}

// sameSlim reports whether two kept member objects say the same:
// generation, labels, annotations and status.
func sameSlim(a, b any) bool {
	x, ok1 := a.(*memberObject)
	y, ok2 := b.(*memberObject)
	return ok1 && ok2 && x.Generation == y.Generation &&
		maps.Equal(x.Labels, y.Labels) && maps.Equal(x.Annotations, y.Annotations) &&
		bytes.Equal(x.Status, y.Status)
}

// keptLabels are the labels of a member object that we read.
var keptLabels = []string{names.ManagedByLabel, names.WorkNamespaceLabel, names.WorkNameLabel}

// slim cuts a member object down to a memberObject.
func slim(obj any) (any, error) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		return obj, nil
	}
	out := &memberObject{Healthy: workload.Health(u) == workv1alpha1.ResourceHealthy}
	out.APIVersion, out.Kind = u.GetAPIVersion(), u.GetKind()
	out.Namespace, out.Name, out.UID = u.GetNamespace(), u.GetName(), u.GetUID()
	out.ResourceVersion, out.Generation = u.GetResourceVersion(), u.GetGeneration()
	labels := u.GetLabels()
	for _, l := range keptLabels {
		if v, ok := labels[l]; ok {
			if out.Labels == nil {
				out.Labels = map[string]string{}
			}
			out.Labels[l] = v
		}
	}
	if g, ok := u.GetAnnotations()[workload.TemplateGenerationAnnotation]; ok {
		out.Annotations = map[string]string{workload.TemplateGenerationAnnotation: g}
	}
	if status, ok := u.Object["status"].(map[string]any); ok {
		raw, err := json.Marshal(workload.SlimStatus(u.GroupVersionKind().GroupKind().String(), status))
		if err != nil {
			return nil, err
		}
		out.Status = raw
	}
	return out, nil
}
