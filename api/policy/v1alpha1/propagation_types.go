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
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PropagationPolicy selects templates in its own namespace and says which
// member clusters they go to and how replicas are divided among them.
//
// +genclient
// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=pp,categories=karmada
// +kubebuilder:printcolumn:name="CONFLICT-RESOLUTION",type=string,JSONPath=`.spec.conflictResolution`
// +kubebuilder:printcolumn:name="PRIORITY",type=integer,JSONPath=`.spec.priority`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type PropagationPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is what to propagate and where.
	// +required
	Spec PropagationSpec `json:"spec"`
}

// ClusterPropagationPolicy is a PropagationPolicy for cluster-scoped
// templates, or for namespaced ones in any namespace.
//
// +genclient
// +genclient:nonNamespaced
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName=cpp,categories=karmada
// +kubebuilder:printcolumn:name="CONFLICT-RESOLUTION",type=string,JSONPath=`.spec.conflictResolution`
// +kubebuilder:printcolumn:name="PRIORITY",type=integer,JSONPath=`.spec.priority`
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type ClusterPropagationPolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is what to propagate and where.
	// +required
	Spec PropagationSpec `json:"spec"`
}

// PropagationSpec is the body shared by PropagationPolicy and
// ClusterPropagationPolicy.
type PropagationSpec struct {
	// ResourceSelectors pick the templates this policy propagates. An empty
	// list is an error, never "everything".
	// +kubebuilder:validation:MinItems=1
	// +required
	ResourceSelectors []ResourceSelector `json:"resourceSelectors"`

	// Association is the old name of PropagateDeps. Deprecated.
	// +optional
	Association bool `json:"association,omitempty"`

	// PropagateDeps also propagates the ConfigMaps, Secrets, ServiceAccounts
	// and PersistentVolumeClaims a workload references.
	// +optional
	PropagateDeps bool `json:"propagateDeps,omitempty"`

	// Placement says where the templates go.
	// +optional
	Placement Placement `json:"placement,omitempty"`

	// Priority decides between several policies matching one template: the
	// higher wins. Ties go to the more precise selector, then the name.
	// +kubebuilder:default=0
	// +optional
	Priority *int32 `json:"priority,omitempty"`

	// Preemption lets this policy take templates from a policy of lower
	// priority (Always) or not (Never).
	// +kubebuilder:default=Never
	// +optional
	Preemption PreemptionBehavior `json:"preemption,omitempty"`

	// DependentOverrides names OverridePolicies that must exist before the
	// templates are propagated.
	// +optional
	DependentOverrides []string `json:"dependentOverrides,omitempty"`

	// SchedulerName picks the scheduler.
	// +kubebuilder:default="default-scheduler"
	// +optional
	SchedulerName string `json:"schedulerName,omitempty"`

	// Failover says what to do when an application or a member fails.
	// +optional
	Failover *FailoverBehavior `json:"failover,omitempty"`

	// ConflictResolution says what to do when a member already holds an
	// object of the same name that was not made by us: Abort (default)
	// leaves it alone and reports the conflict; Overwrite takes it over.
	// +kubebuilder:default=Abort
	// +optional
	ConflictResolution ConflictResolution `json:"conflictResolution,omitempty"`

	// ActivationPreference Lazy applies policy changes only when a template
	// changes, not at once.
	// +optional
	ActivationPreference ActivationPreference `json:"activationPreference,omitempty"`

	// Suspension pauses the dispatching of work to members.
	// +optional
	Suspension *Suspension `json:"suspension,omitempty"`

	// PreserveResourcesOnDeletion keeps the member copies when the template
	// is deleted from the control plane.
	// +optional
	PreserveResourcesOnDeletion *bool `json:"preserveResourcesOnDeletion,omitempty"`

	// SchedulePriority orders the scheduling of bindings.
	// +optional
	SchedulePriority *SchedulePriority `json:"schedulePriority,omitempty"`
}

// ResourceSelector picks templates by kind and then by name or labels.
type ResourceSelector struct {
	// APIVersion of the templates, such as "apps/v1".
	// +kubebuilder:validation:MinLength=1
	// +required
	APIVersion string `json:"apiVersion"`

	// Kind of the templates, such as "Deployment".
	// +kubebuilder:validation:MinLength=1
	// +required
	Kind string `json:"kind"`

	// Namespace of the templates. Empty means any namespace the policy may
	// select from.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Name of the template. Empty means every name.
	// +optional
	Name string `json:"name,omitempty"`

	// LabelSelector picks templates by label. Ignored when Name is set.
	// +optional
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`
}

// FieldSelector picks member clusters by their provider, region or zone.
type FieldSelector struct {
	// MatchExpressions are ANDed.
	// +optional
	MatchExpressions []FieldSelectorRequirement `json:"matchExpressions,omitempty"`
}

// FieldSelectorRequirement matches one field of a Cluster. It has the JSON
// shape of a core/v1 NodeSelectorRequirement, limited to what Karmada
// accepts for cluster fields.
type FieldSelectorRequirement struct {
	// Key is the Cluster field: provider, region or zone.
	// +kubebuilder:validation:Enum=provider;region;zone
	// +required
	Key string `json:"key"`

	// Operator is In or NotIn.
	// +kubebuilder:validation:Enum=In;NotIn
	// +required
	Operator corev1.NodeSelectorOperator `json:"operator"`

	// Values to match.
	// +optional
	Values []string `json:"values,omitempty"`
}

// Placement says where templates go.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.clusterAffinity) && has(self.clusterAffinities))",message="clusterAffinity and clusterAffinities cannot both be set"
type Placement struct {
	// ClusterAffinity limits the member clusters to choose from.
	// +optional
	ClusterAffinity *ClusterAffinity `json:"clusterAffinity,omitempty"`

	// ClusterAffinities are ordered groups of member clusters: the scheduler
	// uses the first group that fits and falls back to the next.
	// +listType=map
	// +listMapKey=affinityName
	// +optional
	ClusterAffinities []ClusterAffinityTerm `json:"clusterAffinities,omitempty"`

	// ClusterTolerations let the templates go to clusters with those taints.
	// +kubebuilder:validation:XValidation:rule="self.all(t, !has(t.operator) || t.operator in ['Exists', 'Equal'])",message="toleration operator must be Exists or Equal"
	// +kubebuilder:validation:XValidation:rule="self.all(t, !has(t.operator) || t.operator != 'Exists' || !has(t.value) || size(t.value) == 0)",message="toleration value must be empty when operator is Exists"
	// +kubebuilder:validation:XValidation:rule="self.all(t, !has(t.effect) || size(t.effect) == 0 || t.effect in ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])",message="toleration effect must be NoSchedule, PreferNoSchedule or NoExecute"
	// +kubebuilder:validation:MaxItems=64
	// +optional
	ClusterTolerations []corev1.Toleration `json:"clusterTolerations,omitempty"`

	// SpreadConstraints spread the templates over groups of clusters
	// (regions, zones, providers or single clusters).
	// +kubebuilder:validation:XValidation:rule="self.all(c, !has(c.spreadByField)) || self.exists(c, has(c.spreadByField) && c.spreadByField == 'cluster')",message="spreadConstraints using spreadByField must include one with spreadByField: cluster"
	// +kubebuilder:validation:MaxItems=16
	// +optional
	SpreadConstraints []SpreadConstraint `json:"spreadConstraints,omitempty"`

	// ReplicaScheduling says how replicas are given out. When absent every
	// chosen cluster gets all replicas (Duplicated).
	// +optional
	ReplicaScheduling *ReplicaSchedulingStrategy `json:"replicaScheduling,omitempty"`
}

// SpreadFieldValue is a field of a Cluster to spread by.
// +kubebuilder:validation:Enum=cluster;region;zone;provider
type SpreadFieldValue string

// The fields a spread constraint may use.
const (
	SpreadByFieldCluster  SpreadFieldValue = "cluster"
	SpreadByFieldRegion   SpreadFieldValue = "region"
	SpreadByFieldZone     SpreadFieldValue = "zone"
	SpreadByFieldProvider SpreadFieldValue = "provider"
)

// SpreadConstraint spreads templates over groups of clusters.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.spreadByField) && has(self.spreadByLabel))",message="spreadByField and spreadByLabel cannot both be set"
// +kubebuilder:validation:XValidation:rule="!has(self.maxGroups) || !has(self.minGroups) || self.maxGroups == 0 || self.maxGroups >= self.minGroups",message="maxGroups must not be lower than minGroups"
type SpreadConstraint struct {
	// SpreadByField groups clusters by cluster, region, zone or provider.
	// +optional
	SpreadByField SpreadFieldValue `json:"spreadByField,omitempty"`

	// SpreadByLabel groups clusters by the value of this label.
	// +optional
	SpreadByLabel string `json:"spreadByLabel,omitempty"`

	// MaxGroups is the most groups to use.
	// +kubebuilder:validation:Minimum=0
	// +optional
	MaxGroups int `json:"maxGroups,omitempty"`

	// MinGroups is the fewest groups to use.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:default=1
	// +optional
	MinGroups int `json:"minGroups,omitempty"`
}

// ClusterAffinity picks member clusters by name, label or field. Every part
// that is set must match; Exclude always wins.
type ClusterAffinity struct {
	// LabelSelector picks clusters by label.
	// +optional
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`

	// FieldSelector picks clusters by provider, region or zone.
	// +optional
	FieldSelector *FieldSelector `json:"fieldSelector,omitempty"`

	// ClusterNames lists the clusters to choose from.
	// +optional
	ClusterNames []string `json:"clusterNames,omitempty"`

	// ExcludeClusters lists clusters never to choose.
	// +optional
	ExcludeClusters []string `json:"exclude,omitempty"`
}

// ClusterAffinityTerm is one named group of ClusterAffinities.
type ClusterAffinityTerm struct {
	// AffinityName names the group; the binding records which one is used.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	// +required
	AffinityName string `json:"affinityName"`

	ClusterAffinity `json:",inline"`
}

// ReplicaSchedulingType says whether each cluster gets every replica.
// +kubebuilder:validation:Enum=Duplicated;Divided
type ReplicaSchedulingType string

// The replica scheduling types.
const (
	// ReplicaSchedulingTypeDuplicated gives every chosen cluster all replicas.
	ReplicaSchedulingTypeDuplicated ReplicaSchedulingType = "Duplicated"
	// ReplicaSchedulingTypeDivided splits the replicas among the clusters.
	ReplicaSchedulingTypeDivided ReplicaSchedulingType = "Divided"
)

// ReplicaDivisionPreference says how Divided replicas are split.
// +kubebuilder:validation:Enum=Aggregated;Weighted
type ReplicaDivisionPreference string

// The replica division preferences.
const (
	// ReplicaDivisionPreferenceAggregated packs replicas into as few
	// clusters as can hold them.
	ReplicaDivisionPreferenceAggregated ReplicaDivisionPreference = "Aggregated"
	// ReplicaDivisionPreferenceWeighted splits replicas by weight.
	ReplicaDivisionPreferenceWeighted ReplicaDivisionPreference = "Weighted"
)

// ReplicaSchedulingStrategy says how replicas are given out.
type ReplicaSchedulingStrategy struct {
	// ReplicaSchedulingType is Duplicated or Divided.
	// +kubebuilder:default=Divided
	// +optional
	ReplicaSchedulingType ReplicaSchedulingType `json:"replicaSchedulingType,omitempty"`

	// ReplicaDivisionPreference is Aggregated or Weighted (the default) when
	// the type is Divided.
	// +optional
	ReplicaDivisionPreference ReplicaDivisionPreference `json:"replicaDivisionPreference,omitempty"`

	// WeightPreference gives the weights for Weighted division. Absent
	// means equal weights.
	// +optional
	WeightPreference *ClusterPreferences `json:"weightPreference,omitempty"`
}

// DynamicWeightFactor is what dynamic weights are computed from.
// +kubebuilder:validation:Enum=AvailableReplicas
type DynamicWeightFactor string

// DynamicWeightByAvailableReplicas weighs each cluster by how many more
// replicas it can hold.
const DynamicWeightByAvailableReplicas DynamicWeightFactor = "AvailableReplicas"

// ClusterPreferences are the weights of Weighted division.
type ClusterPreferences struct {
	// StaticWeightList gives fixed weights; a cluster gets the largest
	// weight of the rules it matches and nothing when it matches none.
	// +optional
	StaticWeightList []StaticClusterWeight `json:"staticWeightList,omitempty"`

	// DynamicWeight computes weights from the clusters' free resources.
	// When set, StaticWeightList is ignored.
	// +optional
	DynamicWeight DynamicWeightFactor `json:"dynamicWeight,omitempty"`
}

// StaticClusterWeight is the weight of the clusters an affinity matches.
type StaticClusterWeight struct {
	// TargetCluster picks the clusters.
	// +required
	TargetCluster ClusterAffinity `json:"targetCluster"`

	// Weight is at least 1 and at most 2147483647 (Karmada's field is an
	// int64 with no upper bound; weights are ratios, and a bound keeps the
	// arithmetic on them far from overflow).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=2147483647
	// +required
	Weight int64 `json:"weight"`
}

// PreemptionBehavior says whether a policy may take templates from
// another.
// +kubebuilder:validation:Enum=Always;Never
type PreemptionBehavior string

// The preemption behaviours.
const (
	PreemptAlways PreemptionBehavior = "Always"
	PreemptNever  PreemptionBehavior = "Never"
)

// ConflictResolution says what to do with an object of the same name that
// already exists in a member and is not ours.
// +kubebuilder:validation:Enum=Abort;Overwrite
type ConflictResolution string

// The conflict resolutions.
const (
	// ConflictAbort leaves the member's object alone and reports it.
	ConflictAbort ConflictResolution = "Abort"
	// ConflictOverwrite takes the member's object over.
	ConflictOverwrite ConflictResolution = "Overwrite"
)

// ActivationPreference says when policy changes take effect.
// +kubebuilder:validation:Enum=Lazy
type ActivationPreference string

// LazyActivation applies a policy change only when a template changes.
const LazyActivation ActivationPreference = "Lazy"

// Suspension pauses the dispatching of work.
type Suspension struct {
	// Dispatching pauses dispatching to every member.
	// +optional
	Dispatching *bool `json:"dispatching,omitempty"`

	// DispatchingOnClusters pauses dispatching to some members.
	// +optional
	DispatchingOnClusters *SuspendClusters `json:"dispatchingOnClusters,omitempty"`
}

// SuspendClusters names the members to pause.
type SuspendClusters struct {
	// ClusterNames of the members.
	// +optional
	ClusterNames []string `json:"clusterNames,omitempty"`
}

// PriorityClassSource says where a schedule priority comes from.
// +kubebuilder:validation:Enum=KubePriorityClass
type PriorityClassSource string

// KubePriorityClass reads the priority from a scheduling.k8s.io PriorityClass.
const KubePriorityClass PriorityClassSource = "KubePriorityClass"

// SchedulePriority orders the scheduling of bindings.
type SchedulePriority struct {
	// PriorityClassSource says where the priority comes from.
	// +required
	PriorityClassSource PriorityClassSource `json:"priorityClassSource"`

	// PriorityClassName names the priority class.
	// +kubebuilder:validation:MinLength=1
	// +required
	PriorityClassName string `json:"priorityClassName"`
}

// PurgeMode says how an application leaves a failed cluster.
// +kubebuilder:validation:Enum=Immediately;Graciously;Never;Directly;Gracefully
type PurgeMode string

// The purge modes.
const (
	PurgeImmediately PurgeMode = "Immediately"
	PurgeGraciously  PurgeMode = "Graciously"
	PurgeNever       PurgeMode = "Never"
	PurgeDirectly    PurgeMode = "Directly"
	PurgeGracefully  PurgeMode = "Gracefully"
)

// FailoverBehavior says what to do when an application or a member fails.
type FailoverBehavior struct {
	// Application failover moves an unhealthy application elsewhere.
	// +optional
	Application *ApplicationFailoverBehavior `json:"application,omitempty"`

	// Cluster failover moves applications off a failed member.
	// +optional
	Cluster *ClusterFailoverBehavior `json:"cluster,omitempty"`
}

// ApplicationFailoverBehavior moves an unhealthy application elsewhere.
//
// +kubebuilder:validation:XValidation:rule="!has(self.gracePeriodSeconds) || (has(self.purgeMode) && self.purgeMode in ['Graciously', 'Gracefully'])",message="gracePeriodSeconds may only be set when purgeMode is Graciously"
type ApplicationFailoverBehavior struct {
	// DecisionConditions say when the application counts as failed.
	// +required
	DecisionConditions DecisionConditions `json:"decisionConditions"`

	// PurgeMode says how the application leaves the failed cluster.
	// +kubebuilder:default=Graciously
	// +optional
	PurgeMode PurgeMode `json:"purgeMode,omitempty"`

	// GracePeriodSeconds is how long to wait for the new copy before the
	// old one is removed.
	// +kubebuilder:validation:Minimum=1
	// +optional
	GracePeriodSeconds *int32 `json:"gracePeriodSeconds,omitempty"`

	// StatePreservation carries state from the old copy to the new.
	// +optional
	StatePreservation *StatePreservation `json:"statePreservation,omitempty"`
}

// DecisionConditions say when an application counts as failed.
type DecisionConditions struct {
	// TolerationSeconds is how long it may stay unhealthy.
	// +kubebuilder:default=300
	// +kubebuilder:validation:Minimum=0
	// +optional
	TolerationSeconds *int32 `json:"tolerationSeconds,omitempty"`
}

// ClusterFailoverBehavior moves applications off a failed member.
type ClusterFailoverBehavior struct {
	// PurgeMode says how applications leave the failed member.
	// +kubebuilder:default=Gracefully
	// +optional
	PurgeMode PurgeMode `json:"purgeMode,omitempty"`

	// StatePreservation carries state from the old copy to the new.
	// +optional
	StatePreservation *StatePreservation `json:"statePreservation,omitempty"`
}

// StatePreservation carries state from the old copy to the new.
type StatePreservation struct {
	// Rules each copy one value of the old copy's status into a label.
	// +kubebuilder:validation:MinItems=1
	// +required
	Rules []StatePreservationRule `json:"rules"`
}

// StatePreservationRule copies one value into a label.
type StatePreservationRule struct {
	// AliasLabelName is the label that receives the value.
	// +required
	AliasLabelName string `json:"aliasLabelName"`

	// JSONPath picks the value from the old copy's status.
	// +required
	JSONPath string `json:"jsonPath"`
}

// PropagationPolicyList is a list of PropagationPolicies.
//
// +kubebuilder:object:root=true
type PropagationPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []PropagationPolicy `json:"items"`
}

// ClusterPropagationPolicyList is a list of ClusterPropagationPolicies.
//
// +kubebuilder:object:root=true
type ClusterPropagationPolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClusterPropagationPolicy `json:"items"`
}
