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
	"context"
	"encoding/json"
	"fmt"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

// takeOver makes every field of existing that any manager owns on the
// main resource ours, as an Apply entry, before our first apply to it
// (conflictResolution: Overwrite). Server-side apply then removes what the
// template does not set, as it does for fields it applied before: the
// member object ends up what the template says, not the template's fields
// beside the previous owner's (a container of theirs, a label of theirs).
// Status (a subresource) stays with whoever writes it. It returns the
// managers the fields were taken from.
func takeOver(ctx context.Context, res dynamic.ResourceInterface, existing *unstructured.Unstructured) ([]string, error) {
	owned := &fieldpath.Set{}
	var kept []metav1.ManagedFieldsEntry
	from := []string{}
	for _, e := range existing.GetManagedFields() {
		if e.Subresource != "" || e.FieldsV1 == nil {
			kept = append(kept, e)
			continue
		}
		fields := &fieldpath.Set{}
		if err := fields.FromJSON(e.FieldsV1.GetRawReader()); err != nil {
			return nil, fmt.Errorf("reading the fields %s owns: %w", e.Manager, err)
		}
		owned = owned.Union(fields)
		if !slices.Contains(from, e.Manager) {
			from = append(from, e.Manager)
		}
	}
	raw, err := owned.ToJSON()
	if err != nil {
		return nil, err
	}
	now := metav1.Now()
	kept = append(kept, metav1.ManagedFieldsEntry{
		Manager: names.FieldManager, Operation: metav1.ManagedFieldsOperationApply, APIVersion: existing.GetAPIVersion(),
		Time: &now, FieldsType: "FieldsV1", FieldsV1: metav1.NewFieldsV1(string(raw)),
	})
	// The resourceVersion makes the patch fail if the object changed
	// since it was read; the next apply then reads it again.
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"managedFields": kept, "resourceVersion": existing.GetResourceVersion()}})
	if err != nil {
		return nil, err
	}
	if _, err := res.Patch(ctx, existing.GetName(), types.MergePatchType, patch, metav1.PatchOptions{FieldManager: names.FieldManager}); err != nil {
		return nil, err
	}
	return from, nil
}

// AdoptedAnnotation marks a member namespace that was there before ours:
// it stays when the control plane's namespace goes.
const AdoptedAnnotation = "namespace.kubectl-karmada.io/adopted"

// adoptionManager owns the adoption mark, apart from our applied fields,
// so our applies never remove it.
const adoptionManager = names.FieldManager + "-adoption"

var namespaceKind = schema.GroupKind{Kind: "Namespace"}

// adopt marks a member's own namespace as adopted, before our first apply.
func adopt(ctx context.Context, res dynamic.ResourceInterface, existing *unstructured.Unstructured) error {
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{AdoptedAnnotation: "true"}}})
	if err != nil {
		return err
	}
	_, err = res.Patch(ctx, existing.GetName(), types.MergePatchType, patch, metav1.PatchOptions{FieldManager: adoptionManager})
	return err
}

// release gives an adopted namespace back as it was: an empty apply drops
// every field we applied (our labels included), then the mark goes.
func release(ctx context.Context, res dynamic.ResourceInterface, existing *unstructured.Unstructured) error {
	empty, err := json.Marshal(map[string]any{"apiVersion": existing.GetAPIVersion(), "kind": existing.GetKind(),
		"metadata": map[string]any{"name": existing.GetName()}})
	if err != nil {
		return err
	}
	if _, err := res.Patch(ctx, existing.GetName(), types.ApplyPatchType, empty, metav1.PatchOptions{FieldManager: names.FieldManager, Force: ptrTrue()}); err != nil {
		return err
	}
	unmark, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]any{AdoptedAnnotation: nil}}})
	if err != nil {
		return err
	}
	_, err = res.Patch(ctx, existing.GetName(), types.MergePatchType, unmark, metav1.PatchOptions{FieldManager: adoptionManager})
	return err
}
