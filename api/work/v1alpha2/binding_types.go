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

package v1alpha2

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
)

// ResourceBinding ties one namespaced template to its placement: the
// detector writes the spec from the template and its policy, the scheduler
// writes spec.clusters, and status gathers what the members report.
//
// +genclient
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:storageversion
// +kubebuilder:resource:shortName=rb,categories=karmada
// +kubebuilder:printcolumn:name="SCHEDULED",type=string,JSONPath=`.status.conditions[?(@.type=="Scheduled")].status`
// +kubebuilder:printcolumn:name="FULLYAPPLIED",type=string,JSONPath=`.status.conditions[?(@.type=="FullyApplied")].status`
// +kubebuilder:printcolumn:name="KIND",type=string,JSONPath=`.spec.resource.kind`,priority=1
// +kubebuilder:printcolumn:name="REPLICAS",type=integer,JSONPath=`.spec.replicas`,priority=1
// +kubebuilder:printcolumn:name="CLUSTERS",type=string,JSONPath=`.spec.clusters[*].name`,priority=1
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type ResourceBinding struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the scheduler's input and result.
	// +required
	Spec ResourceBindingSpec `json:"spec"`

	// Status is the scheduling state and what the members report.
	// +optional
	Status ResourceBindingStatus `json:"status,omitempty"`
}

// ClusterResourceBinding is a ResourceBinding for a cluster-scoped
// template.
//
// +genclient
// +genclient:nonNamespaced
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:storageversion
// +kubebuilder:resource:scope=Cluster,shortName=crb,categories=karmada
// +kubebuilder:printcolumn:name="SCHEDULED",type=string,JSONPath=`.status.conditions[?(@.type=="Scheduled")].status`
// +kubebuilder:printcolumn:name="FULLYAPPLIED",type=string,JSONPath=`.status.conditions[?(@.type=="FullyApplied")].status`
// +kubebuilder:printcolumn:name="KIND",type=string,JSONPath=`.spec.resource.kind`,priority=1
// +kubebuilder:printcolumn:name="CLUSTERS",type=string,JSONPath=`.spec.clusters[*].name`,priority=1
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type ClusterResourceBinding struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the scheduler's input and result.
	// +required
	Spec ResourceBindingSpec `json:"spec"`

	// Status is the scheduling state and what the members report.
	// +optional
	Status ResourceBindingStatus `json:"status,omitempty"`
}

// ResourceBindingSpec is the scheduler's input (template, replicas,
// requirements, placement) and its result (Clusters).
type ResourceBindingSpec struct {
	// Resource is the template this binding stands for.
	// +required
	Resource ObjectReference `json:"resource"`

	// PropagateDeps also propagates what the workload references.
	// +optional
	PropagateDeps bool `json:"propagateDeps,omitempty"`

	// ReplicaRequirements are what one replica needs.
	// +optional
	ReplicaRequirements *ReplicaRequirements `json:"replicaRequirements,omitempty"`

	// Replicas is the template's replica count.
	// +kubebuilder:validation:Minimum=0
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// Clusters is the scheduling result: the chosen clusters and their
	// replicas.
	// +optional
	Clusters []TargetCluster `json:"clusters,omitempty"`

	// Placement is copied from the policy.
	// +optional
	Placement *policyv1alpha1.Placement `json:"placement,omitempty"`

	// GracefulEvictionTasks are clusters the workload is leaving; their
	// copies stay until the new ones are healthy.
	// +optional
	GracefulEvictionTasks []GracefulEvictionTask `json:"gracefulEvictionTasks,omitempty"`

	// RequiredBy lists the bindings that depend on this one.
	// +optional
	RequiredBy []BindingSnapshot `json:"requiredBy,omitempty"`

	// SchedulerName is the scheduler that handles this binding.
	// +optional
	SchedulerName string `json:"schedulerName,omitempty"`

	// Failover is copied from the policy.
	// +optional
	Failover *policyv1alpha1.FailoverBehavior `json:"failover,omitempty"`

	// ConflictResolution is copied from the policy.
	// +optional
	ConflictResolution policyv1alpha1.ConflictResolution `json:"conflictResolution,omitempty"`

	// RescheduleTriggeredAt asks for a fresh scheduling when it is newer
	// than status.lastScheduledTime.
	// +optional
	RescheduleTriggeredAt *metav1.Time `json:"rescheduleTriggeredAt,omitempty"`

	// Suspension is copied from the policy.
	// +optional
	Suspension *policyv1alpha1.Suspension `json:"suspension,omitempty"`

	// PreserveResourcesOnDeletion is copied from the policy.
	// +optional
	PreserveResourcesOnDeletion *bool `json:"preserveResourcesOnDeletion,omitempty"`

	// SchedulePriority is copied from the policy.
	// +optional
	SchedulePriority *policyv1alpha1.SchedulePriority `json:"schedulePriority,omitempty"`
}

// ObjectReference names a template and the version of it that was seen.
type ObjectReference struct {
	// APIVersion of the template.
	// +required
	APIVersion string `json:"apiVersion"`
	// Kind of the template.
	// +required
	Kind string `json:"kind"`
	// Namespace of the template; empty when cluster-scoped.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// Name of the template.
	// +required
	Name string `json:"name"`
	// UID of the template.
	// +optional
	UID types.UID `json:"uid,omitempty"`
	// ResourceVersion of the template that was seen.
	// +optional
	ResourceVersion string `json:"resourceVersion,omitempty"`
}

// ReplicaRequirements are what one replica needs.
type ReplicaRequirements struct {
	// NodeClaim is where the replica's pods may land in a member.
	// +optional
	NodeClaim *NodeClaim `json:"nodeClaim,omitempty"`
	// ResourceRequest is the sum of the requests of one pod.
	// +optional
	ResourceRequest corev1.ResourceList `json:"resourceRequest,omitempty"`
	// Namespace of the workload.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// PriorityClassName of the workload's pods.
	// +optional
	PriorityClassName string `json:"priorityClassName,omitempty"`
}

// NodeClaim is the node placement of a replica's pods.
type NodeClaim struct {
	// HardNodeAffinity is the pods' required node affinity.
	// +optional
	HardNodeAffinity *corev1.NodeSelector `json:"hardNodeAffinity,omitempty"`
	// NodeSelector is the pods' node selector.
	// +optional
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// Tolerations are the pods' tolerations.
	// +optional
	Tolerations []corev1.Toleration `json:"tolerations,omitempty"`
}

// TargetCluster is one chosen cluster and its replicas.
type TargetCluster struct {
	// Name of the cluster.
	// +required
	Name string `json:"name"`
	// Replicas given to it.
	// +kubebuilder:validation:Minimum=0
	// +optional
	Replicas int32 `json:"replicas,omitempty"`
}

// GracefulEvictionTask is a cluster the workload is leaving.
type GracefulEvictionTask struct {
	// FromCluster is the cluster being left.
	// +required
	FromCluster string `json:"fromCluster"`
	// PurgeMode says how the copy leaves.
	// +optional
	PurgeMode policyv1alpha1.PurgeMode `json:"purgeMode,omitempty"`
	// Replicas the cluster held.
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`
	// Reason in CamelCase.
	// +required
	Reason string `json:"reason"`
	// Message for humans.
	// +optional
	Message string `json:"message,omitempty"`
	// Producer is the controller that made the task.
	// +required
	Producer string `json:"producer"`
	// GracePeriodSeconds is how long the old copy may stay.
	// +optional
	GracePeriodSeconds *int32 `json:"gracePeriodSeconds,omitempty"`
	// SuppressDeletion keeps the old copy until someone decides.
	// +optional
	SuppressDeletion *bool `json:"suppressDeletion,omitempty"`
	// CreationTimestamp of the task.
	// +optional
	CreationTimestamp *metav1.Time `json:"creationTimestamp,omitempty"`
}

// BindingSnapshot names a binding that depends on this one.
type BindingSnapshot struct {
	// Namespace of the binding.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// Name of the binding.
	// +required
	Name string `json:"name"`
	// Clusters the dependent binding was scheduled to.
	// +optional
	Clusters []TargetCluster `json:"clusters,omitempty"`
}

// Condition types and reasons of a binding.
const (
	// Scheduled is True when spec.clusters holds a current result.
	Scheduled = "Scheduled"
	// FullyApplied is True when every chosen cluster applied its Work.
	FullyApplied = "FullyApplied"

	// BindingReasonSuccess: scheduling worked.
	BindingReasonSuccess = "Success"
	// BindingReasonNoClusterFit: no cluster passed the filters.
	BindingReasonNoClusterFit = "NoClusterFit"
	// BindingReasonUnschedulable: clusters fit but lack capacity.
	BindingReasonUnschedulable = "Unschedulable"
	// BindingReasonSchedulerError: the scheduler failed.
	BindingReasonSchedulerError = "SchedulerError"
)

// ResourceBindingStatus is the scheduling state and what members report.
type ResourceBindingStatus struct {
	// SchedulerObservedGeneration is the generation the scheduler last
	// handled.
	// +optional
	SchedulerObservedGeneration int64 `json:"schedulerObservedGeneration,omitempty"`

	// SchedulerObservingAffinityName is the clusterAffinities term in use.
	// +optional
	SchedulerObservingAffinityName string `json:"schedulerObservingAffinityName,omitempty"`

	// LastScheduledTime is when the scheduler last wrote a result.
	// +optional
	LastScheduledTime *metav1.Time `json:"lastScheduledTime,omitempty"`

	// Conditions are Scheduled and FullyApplied.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// AggregatedStatus holds the state of the copy in each cluster.
	// +optional
	AggregatedStatus []AggregatedStatusItem `json:"aggregatedStatus,omitempty"`

	// SchedulingDecisions say, cluster by cluster, why the scheduler placed
	// the workload where it did. It is this project's addition to Karmada's
	// status. Bounded: the chosen clusters come first, then the others by
	// name, and what does not fit is counted in omittedSchedulingDecisions.
	// +kubebuilder:validation:MaxItems=64
	// +optional
	SchedulingDecisions []ClusterDecision `json:"schedulingDecisions,omitempty"`

	// OmittedSchedulingDecisions counts the clusters left out of
	// schedulingDecisions to keep the status small.
	// +optional
	OmittedSchedulingDecisions int32 `json:"omittedSchedulingDecisions,omitempty"`
}

// MaxSchedulingDecisions bounds status.schedulingDecisions.
const MaxSchedulingDecisions = 64

// ClusterDecision is the scheduler's verdict on one cluster.
type ClusterDecision struct {
	// Cluster is the member's name.
	// +required
	Cluster string `json:"cluster"`

	// Selected is true when the cluster got the workload.
	// +optional
	Selected bool `json:"selected,omitempty"`

	// Replicas assigned to the cluster.
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// AvailableReplicas is how many more replicas the cluster could hold,
	// when the division looked at capacity.
	// +optional
	AvailableReplicas *int64 `json:"availableReplicas,omitempty"`

	// Filter that dropped the cluster (APIEnablement, ClusterAffinity,
	// TaintToleration, SpreadConstraint, StaticWeight, Capacity).
	// +optional
	Filter string `json:"filter,omitempty"`

	// Reason is a short sentence for humans.
	// +kubebuilder:validation:MaxLength=256
	// +optional
	Reason string `json:"reason,omitempty"`
}

// AggregatedStatusItem is the state of the copy in one cluster.
type AggregatedStatusItem struct {
	// ClusterName of the member.
	// +required
	ClusterName string `json:"clusterName"`

	// Status is the copy's status as the member reports it.
	// +kubebuilder:pruning:PreserveUnknownFields
	// +optional
	Status *runtime.RawExtension `json:"status,omitempty"`

	// Applied is true when the copy was applied.
	// +optional
	Applied bool `json:"applied,omitempty"`

	// AppliedMessage says why applying failed.
	// +optional
	AppliedMessage string `json:"appliedMessage,omitempty"`

	// Health of the copy.
	// +optional
	Health workv1alpha1.ResourceHealth `json:"health,omitempty"`
}

// ResourceBindingList is a list of ResourceBindings.
//
// +kubebuilder:object:root=true
type ResourceBindingList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ResourceBinding `json:"items"`
}

// ClusterResourceBindingList is a list of ClusterResourceBindings.
//
// +kubebuilder:object:root=true
type ClusterResourceBindingList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClusterResourceBinding `json:"items"`
}
