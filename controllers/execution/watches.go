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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/event"

	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// memberChange names the Work whose member object changed, and whether
// that object is now healthy.
type memberChange struct {
	work    types.NamespacedName
	healthy bool
}

// memberWatches runs, in each member, one informer per resource kind we
// applied there (through the member's own informers, which stop when its
// credentials change or it leaves), limited by a label selector to the
// objects we applied, so memory stays small however big the members are.
// Each change wakes the Work it came from.
type memberWatches struct {
	events chan<- event.TypedGenericEvent[memberChange]
}

func newMemberWatches(events chan<- event.TypedGenericEvent[memberChange]) *memberWatches {
	return &memberWatches{events: events}
}

// watchID names the informer of a kind among a member's informers.
func watchID(gvr schema.GroupVersionResource) string {
	return "execution/" + gvr.String()
}

// ensure starts the watch of a kind in a member unless it runs.
func (w *memberWatches) ensure(m *member.Member, gvr schema.GroupVersionResource) error {
	_, err := m.Watch(watchID(gvr), func() (cache.SharedIndexInformer, error) {
		informer := dynamicinformer.NewFilteredDynamicInformer(m.Dynamic, gvr, metav1.NamespaceAll, 0, cache.Indexers{},
			func(o *metav1.ListOptions) { o.LabelSelector = names.ManagedByLabel + "=true" }).Informer()
		// Keep of each member object only what status reflection and the
		// ownership check read (a memberObject): name, generation, our
		// labels, the template generation annotation, and the status
		// fields that are reflected. The spec is the Work's; holding it
		// again would double the memory.
		if err := informer.SetTransform(slim); err != nil {
			return nil, err
		}
		_, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
			AddFunc: func(obj any) { w.wake(obj, false) },
			UpdateFunc: func(old, obj any) {
				// The member's controllers rewrite status fields we do not
				// keep (conditions, timestamps): no news for the Work.
				if !sameSlim(old, obj) {
					w.wake(obj, false)
				}
			},
			DeleteFunc: func(obj any) { w.wake(obj, true) },
		})
		return informer, err
	})
	return err
}

// wake tells the Work of a member object that the object changed.
func (w *memberWatches) wake(obj any, gone bool) {
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

// cached returns the object the watch of a member holds, if the watch runs
// and has synced. Only our objects are in it (the label selector).
func (w *memberWatches) cached(m *member.Member, gvr schema.GroupVersionResource, namespace, name string) (*unstructured.Unstructured, bool) {
	informer, ok := m.Watching(watchID(gvr))
	if !ok || !informer.HasSynced() {
		return nil, false
	}
	key := name
	if namespace != "" {
		key = namespace + "/" + name
	}
	obj, exists, err := informer.GetStore().GetByKey(key)
	if err != nil || !exists {
		return nil, false
	}
	o, ok := obj.(*memberObject)
	if !ok {
		return nil, false
	}
	return o.unstructured(), true
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
