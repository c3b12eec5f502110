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

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Work holds the final objects for one member cluster. It lives in the
// member's execution namespace, karmada-es-<cluster>.
//
// +genclient
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=karmada
// +kubebuilder:printcolumn:name="WORKLOAD-KIND",type=string,JSONPath=`.spec.workload.manifests[*].kind`
// +kubebuilder:printcolumn:name="APPLIED",type=string,JSONPath=`.status.conditions[?(@.type=="Applied")].status`
// +kubebuilder:printcolumn:name="AVAILABLE",type=string,JSONPath=`.status.conditions[?(@.type=="Available")].status`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type Work struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec holds the objects to apply.
	// +required
	Spec WorkSpec `json:"spec"`

	// Status is what the member made of them.
	// +optional
	Status WorkStatus `json:"status,omitempty"`
}

// WorkSpec holds the objects to apply to one member.
type WorkSpec struct {
	// Workload holds the objects.
	// +optional
	Workload WorkloadTemplate `json:"workload,omitempty"`

	// SuspendDispatching pauses applying this Work to the member.
	// +optional
	SuspendDispatching *bool `json:"suspendDispatching,omitempty"`

	// PreserveResourcesOnDeletion keeps the member's objects when this
	// Work is deleted.
	// +optional
	PreserveResourcesOnDeletion *bool `json:"preserveResourcesOnDeletion,omitempty"`
}

// WorkloadTemplate holds the objects of a Work.
type WorkloadTemplate struct {
	// Manifests are the final objects, overrides applied.
	// +optional
	Manifests []Manifest `json:"manifests,omitempty"`
}

// Manifest is one whole Kubernetes object.
type Manifest struct {
	// +kubebuilder:pruning:PreserveUnknownFields
	// +kubebuilder:validation:EmbeddedResource
	runtime.RawExtension `json:",inline"`
}

// Condition types of a Work.
const (
	// WorkApplied is True when every manifest was applied to the member.
	WorkApplied = "Applied"
	// WorkAvailable is True when every applied object is healthy.
	WorkAvailable = "Available"
	// WorkDegraded is True when some applied object is unhealthy.
	WorkDegraded = "Degraded"
	// WorkDispatching is False while dispatching is suspended.
	WorkDispatching = "Dispatching"
)

// WorkStatus is what the member made of a Work.
type WorkStatus struct {
	// Conditions are Applied, Available and Degraded.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// ManifestStatuses hold the status of each applied object.
	// +optional
	ManifestStatuses []ManifestStatus `json:"manifestStatuses,omitempty"`
}

// ResourceHealth is the health of one object in a member.
// +kubebuilder:validation:Enum=Healthy;Unhealthy;Unknown
type ResourceHealth string

// The health values.
const (
	ResourceHealthy       ResourceHealth = "Healthy"
	ResourceUnhealthy     ResourceHealth = "Unhealthy"
	ResourceUnknownHealth ResourceHealth = "Unknown"
)

// ManifestStatus is the status of one applied object.
type ManifestStatus struct {
	// Identifier names the object.
	// +required
	Identifier ResourceIdentifier `json:"identifier"`

	// Status is the object's status as the member reports it.
	// +kubebuilder:pruning:PreserveUnknownFields
	// +optional
	Status *runtime.RawExtension `json:"status,omitempty"`

	// Health of the object.
	// +optional
	Health ResourceHealth `json:"health,omitempty"`
}

// ResourceIdentifier names one object of a Work.
type ResourceIdentifier struct {
	// Ordinal is the index of the object in the Work's manifests.
	// +required
	Ordinal int `json:"ordinal"`

	// Group of the object; empty for the core group.
	// +optional
	Group string `json:"group"`

	// Version of the object.
	// +required
	Version string `json:"version"`

	// Kind of the object.
	// +required
	Kind string `json:"kind"`

	// Resource is the plural resource name.
	// +optional
	Resource string `json:"resource"`

	// Namespace of the object; empty when cluster-scoped.
	// +optional
	Namespace string `json:"namespace"`

	// Name of the object.
	// +required
	Name string `json:"name"`
}

// WorkList is a list of Works.
//
// +kubebuilder:object:root=true
type WorkList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Work `json:"items"`
}
