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
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Cluster represents one member cluster joined to the control plane. Its
// spec says how to reach the member; its status is kept by the cluster
// status controller (health, version, served APIs, nodes and resources).
//
// +genclient
// +genclient:nonNamespaced
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,categories=karmada
// +kubebuilder:printcolumn:name="VERSION",type=string,JSONPath=`.status.kubernetesVersion`
// +kubebuilder:printcolumn:name="MODE",type=string,JSONPath=`.spec.syncMode`
// +kubebuilder:printcolumn:name="READY",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="NODES",type=integer,JSONPath=`.status.nodeSummary.readyNum`,priority=1
// +kubebuilder:printcolumn:name="PROVIDER",type=string,JSONPath=`.spec.provider`,priority=1
// +kubebuilder:printcolumn:name="REGION",type=string,JSONPath=`.spec.region`,priority=1
// +kubebuilder:printcolumn:name="APIENDPOINT",type=string,JSONPath=`.spec.apiEndpoint`,priority=1
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:validation:XValidation:rule="self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 48",message="metadata.name must be a DNS label of at most 48 characters"
type Cluster struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec says how to reach the member and where it sits.
	// +required
	Spec ClusterSpec `json:"spec"`

	// Status is the member's observed state.
	// +optional
	Status ClusterStatus `json:"status,omitempty"`
}

// ClusterSyncMode says who delivers work to a member.
// +kubebuilder:validation:Enum=Push;Pull
type ClusterSyncMode string

const (
	// Push means the control plane's controllers apply work to the member.
	Push ClusterSyncMode = "Push"
	// Pull means an agent in the member fetches its work from the control plane.
	Pull ClusterSyncMode = "Pull"
)

// ClusterSpec says how to reach a member and where it sits.
//
// +kubebuilder:validation:XValidation:rule="self.syncMode != 'Push' || has(self.apiEndpoint)",message="spec.apiEndpoint is required when spec.syncMode is Push"
type ClusterSpec struct {
	// ID is a unique identifier of the member, usually the UID of its
	// kube-system namespace.
	// +optional
	ID string `json:"id,omitempty"`

	// SyncMode is Push (the controllers apply work) or Pull (an agent does).
	// +required
	SyncMode ClusterSyncMode `json:"syncMode"`

	// APIEndpoint is the address of the member's API server.
	// +optional
	APIEndpoint string `json:"apiEndpoint,omitempty"`

	// SecretRef names the Secret holding the member's credentials under the
	// keys "token" and "caBundle".
	// +optional
	SecretRef *LocalSecretReference `json:"secretRef,omitempty"`

	// ImpersonatorSecretRef names the Secret holding a token that may
	// impersonate users in the member.
	// +optional
	ImpersonatorSecretRef *LocalSecretReference `json:"impersonatorSecretRef,omitempty"`

	// InsecureSkipTLSVerification skips the check of the member's serving
	// certificate.
	// +optional
	InsecureSkipTLSVerification bool `json:"insecureSkipTLSVerification,omitempty"`

	// ProxyURL is the proxy used to reach the member (http, https or socks5).
	// +kubebuilder:validation:Pattern=`^(http|https|socks5)://.*$`
	// +optional
	ProxyURL string `json:"proxyURL,omitempty"`

	// ProxyHeader holds HTTP headers sent to the proxy.
	// +optional
	ProxyHeader map[string]string `json:"proxyHeader,omitempty"`

	// Provider is the name of the member's cloud provider.
	// +optional
	Provider string `json:"provider,omitempty"`

	// Region is the region the member lives in.
	// +optional
	Region string `json:"region,omitempty"`

	// Zone is the zone the member lives in. Deprecated: use Zones.
	// +optional
	Zone string `json:"zone,omitempty"`

	// Zones are the zones the member spans.
	// +optional
	Zones []string `json:"zones,omitempty"`

	// Taints keep workloads off the member unless a policy tolerates them.
	// +kubebuilder:validation:XValidation:rule="self.all(t, t.effect in ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])",message="taint effect must be NoSchedule, PreferNoSchedule or NoExecute"
	// +optional
	Taints []corev1.Taint `json:"taints,omitempty"`

	// ResourceModels describe node sizes of the member, for
	// estimation by resource model.
	// +optional
	ResourceModels []ResourceModel `json:"resourceModels,omitempty"`
}

// LocalSecretReference names a Secret in the control plane.
type LocalSecretReference struct {
	// Namespace of the Secret.
	// +required
	Namespace string `json:"namespace"`
	// Name of the Secret.
	// +required
	Name string `json:"name"`
}

// ResourceModel is one grade of node size in a member.
type ResourceModel struct {
	// Grade orders the models, smallest first.
	// +required
	Grade uint `json:"grade"`
	// Ranges bound each resource of this grade.
	// +required
	Ranges []ResourceModelRange `json:"ranges"`
}

// ResourceModelRange bounds one resource of a model: [min, max).
type ResourceModelRange struct {
	// Name of the resource, such as cpu or memory.
	// +required
	Name corev1.ResourceName `json:"name"`
	// Min is the inclusive lower bound.
	// +required
	Min resource.Quantity `json:"min"`
	// Max is the exclusive upper bound.
	// +required
	Max resource.Quantity `json:"max"`
}

// Well-known condition types and taints of a Cluster.
const (
	// ClusterConditionReady is True when the member's API server is healthy.
	ClusterConditionReady = "Ready"
	// ClusterConditionCompleteAPIEnablements is True when every API group of
	// the member could be listed.
	ClusterConditionCompleteAPIEnablements = "CompleteAPIEnablements"

	// TaintClusterUnscheduled is set by cordon: no new placements.
	TaintClusterUnscheduled = "cluster.karmada.io/unschedulable"
	// TaintClusterNotReady is set while the member is not ready.
	TaintClusterNotReady = "cluster.karmada.io/not-ready"
	// TaintClusterUnreachable is set while the member cannot be reached.
	TaintClusterUnreachable = "cluster.karmada.io/unreachable"
)

// ClusterStatus is the observed state of a member.
type ClusterStatus struct {
	// KubernetesVersion is the member's version, as its /version reports it.
	// +optional
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`

	// APIEnablements lists the resources the member serves.
	// +optional
	APIEnablements []APIEnablement `json:"apiEnablements,omitempty"`

	// Conditions are Ready and CompleteAPIEnablements.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// NodeSummary counts the member's nodes.
	// +optional
	NodeSummary *NodeSummary `json:"nodeSummary,omitempty"`

	// ResourceSummary sums the member's resources.
	// +optional
	ResourceSummary *ResourceSummary `json:"resourceSummary,omitempty"`

	// RemedyActions are actions taken on the member, such as traffic control.
	// +optional
	RemedyActions []string `json:"remedyActions,omitempty"`
}

// APIEnablement is one group version served by a member.
type APIEnablement struct {
	// GroupVersion such as "apps/v1".
	// +required
	GroupVersion string `json:"groupVersion"`
	// Resources of that group version.
	// +optional
	Resources []APIResource `json:"resources,omitempty"`
}

// APIResource is one resource of a group version.
type APIResource struct {
	// Name is the plural resource name, such as "deployments".
	// +required
	Name string `json:"name"`
	// Kind such as "Deployment".
	// +required
	Kind string `json:"kind"`
}

// NodeSummary counts the nodes of a member.
type NodeSummary struct {
	// TotalNum is the number of nodes.
	// +optional
	TotalNum int32 `json:"totalNum,omitempty"`
	// ReadyNum is the number of Ready nodes.
	// +optional
	ReadyNum int32 `json:"readyNum,omitempty"`
}

// ResourceSummary sums the resources of a member.
type ResourceSummary struct {
	// Allocatable is the sum of the allocatable resources of Ready nodes.
	// +optional
	Allocatable corev1.ResourceList `json:"allocatable,omitempty"`
	// Allocating is the sum of the requests of pods not yet scheduled.
	// +optional
	Allocating corev1.ResourceList `json:"allocating,omitempty"`
	// Allocated is the sum of the requests of scheduled, non-terminal pods.
	// +optional
	Allocated corev1.ResourceList `json:"allocated,omitempty"`
	// AllocatableModelings counts nodes per resource model grade.
	// +optional
	AllocatableModelings []AllocatableModeling `json:"allocatableModelings,omitempty"`
}

// AllocatableModeling counts the nodes of one resource model grade.
type AllocatableModeling struct {
	// Grade of the model.
	// +required
	Grade uint `json:"grade"`
	// Count of nodes in that grade.
	// +required
	Count int `json:"count"`
}

// ClusterList is a list of Clusters.
//
// +kubebuilder:object:root=true
type ClusterList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Cluster `json:"items"`
}
