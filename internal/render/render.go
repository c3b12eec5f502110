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

// Package render makes what one member receives for a template: the
// member copy (workload.MemberCopy), its share of the replicas, the
// override rules for that member, and the annotations the member agent
// reads. It is pure: the binding controller reads the template, the
// policies and the Clusters, and calls it once per scheduled member.
package render

import (
	"encoding/json"
	"strconv"

	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/overrides"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// ForMember returns the manifest for target's member. The template is not
// changed. conflict is the binding's conflictResolution: with Overwrite
// the copy says so, and the member side may take over an object that is
// already there. An override that fails or is refused (an
// *overrides.IdentityError) is returned as the error.
func ForMember(template *unstructured.Unstructured, target workv1alpha2.TargetCluster,
	conflict policyv1alpha1.ConflictResolution, ops *overrides.Set) (*unstructured.Unstructured, error) {
	obj := workload.MemberCopy(template)
	if workload.KindHasReplicas(template.GetAPIVersion(), template.GetKind()) {
		if err := workload.SetReplicas(obj, target.Replicas); err != nil {
			return nil, err
		}
	}
	if err := ops.Apply(obj, target.Name); err != nil {
		return nil, err
	}
	ann := obj.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[workload.TemplateGenerationAnnotation] = strconv.FormatInt(template.GetGeneration(), 10)
	if conflict == policyv1alpha1.ConflictOverwrite {
		ann[names.ConflictResolutionAnnotation] = "overwrite"
	}
	obj.SetAnnotations(ann)
	return obj, nil
}

// Stamp labels a manifest for its Work: ours (so the member's watches see
// it), and which Work in which execution namespace it came from.
func Stamp(manifest *unstructured.Unstructured, cluster, workName string) {
	labels := manifest.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels[names.ManagedByLabel] = "true"
	labels[names.WorkNamespaceLabel] = names.ExecutionSpace(cluster)
	labels[names.WorkNameLabel] = workName
	manifest.SetLabels(labels)
}

// SameManifests compares two Works' manifests by meaning: as JSON
// documents, whatever their key order.
func SameManifests(a, b []workv1alpha1.Manifest) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		var x, y map[string]any
		if json.Unmarshal(a[i].Raw, &x) != nil || json.Unmarshal(b[i].Raw, &y) != nil || !apiequality.Semantic.DeepEqual(x, y) {
			return false
		}
	}
	return true
}
