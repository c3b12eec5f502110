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

package workload

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// templateOnlyPrefixes are label and annotation prefixes that describe the
// template's place on the control plane; members do not get them. The
// policy's name and permanent ID are not among them: Karmada's member
// objects carry them, and its users find by them which policy placed a
// workload there.
var templateOnlyPrefixes = []string{
	"kubectl.kubernetes.io/last-applied-configuration",
}

// MemberCopy returns what a member should receive for template: the same
// object without status and without the fields the control plane's API
// server owns (uid, resourceVersion, managedFields and so on), and without
// fields each member assigns itself (a Service's cluster IPs, a Job's
// generated selector).
func MemberCopy(template *unstructured.Unstructured) *unstructured.Unstructured {
	obj := template.DeepCopy()
	delete(obj.Object, "status")
	for _, f := range []string{"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
		"ownerReferences", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "finalizers", "generateName"} {
		unstructured.RemoveNestedField(obj.Object, "metadata", f)
	}
	obj.SetLabels(withoutTemplateOnly(obj.GetLabels()))
	obj.SetAnnotations(withoutTemplateOnly(obj.GetAnnotations()))

	switch obj.GroupVersionKind().GroupKind().String() {
	case "Namespace":
		// spec.finalizers is each API server's own.
		delete(obj.Object, "spec")
	case "Service":
		unstructured.RemoveNestedField(obj.Object, "spec", "clusterIP")
		unstructured.RemoveNestedField(obj.Object, "spec", "clusterIPs")
		unstructured.RemoveNestedField(obj.Object, "spec", "healthCheckNodePort")
	case "Job.batch":
		// Unless the user chose the selector, each cluster generates its own.
		if manual, _, _ := unstructured.NestedBool(obj.Object, "spec", "manualSelector"); !manual {
			unstructured.RemoveNestedField(obj.Object, "spec", "selector")
			for _, l := range []string{"controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name"} {
				unstructured.RemoveNestedField(obj.Object, "spec", "template", "metadata", "labels", l)
			}
		}
	}
	return obj
}

func withoutTemplateOnly(m map[string]string) map[string]string {
	for k := range m {
		for _, p := range templateOnlyPrefixes {
			if strings.HasPrefix(k, p) {
				delete(m, k)
			}
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}
