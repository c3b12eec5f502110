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
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OverridePolicy changes templates of its namespace on their way to some
// member clusters (another image registry per region, say).
//
// +genclient
// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=op,categories=karmada
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type OverridePolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is what to change, where.
	// +required
	Spec OverrideSpec `json:"spec"`
}

// ClusterOverridePolicy is an OverridePolicy for templates in any
// namespace and for cluster-scoped ones.
//
// +genclient
// +genclient:nonNamespaced
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName=cop,categories=karmada
// +kubebuilder:printcolumn:name="AGE",type=date,JSONPath=`.metadata.creationTimestamp`
type ClusterOverridePolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is what to change, where.
	// +required
	Spec OverrideSpec `json:"spec"`
}

// OverrideSpec is the body shared by OverridePolicy and
// ClusterOverridePolicy.
type OverrideSpec struct {
	// ResourceSelectors pick the templates to change; empty means all.
	// +optional
	ResourceSelectors []ResourceSelector `json:"resourceSelectors,omitempty"`

	// OverrideRules are applied in order, each to the clusters it targets.
	// At most 100 (Karmada sets no bound; the bound lets the API server
	// afford the rules that check each path).
	// +kubebuilder:validation:MaxItems=100
	// +optional
	OverrideRules []RuleWithCluster `json:"overrideRules,omitempty"`

	// TargetCluster is the single target of Overriders. Deprecated: use
	// OverrideRules.
	// +optional
	TargetCluster *ClusterAffinity `json:"targetCluster,omitempty"`

	// Overriders apply to TargetCluster. Deprecated: use OverrideRules.
	// +optional
	Overriders Overriders `json:"overriders,omitempty"`
}

// RuleWithCluster applies overriders to the clusters it targets.
type RuleWithCluster struct {
	// TargetCluster picks the clusters; absent means every cluster.
	// +optional
	TargetCluster *ClusterAffinity `json:"targetCluster,omitempty"`

	// Overriders are the changes, applied in the order of the fields below.
	// +required
	Overriders Overriders `json:"overriders"`
}

// Overriders are the changes of one rule. They run in this order: image,
// command, args, labels, annotations, field, plaintext.
type Overriders struct {
	// Plaintext patches paths of the object, JSON-patch style.
	// +optional
	// +kubebuilder:validation:MaxItems=100
	Plaintext []PlaintextOverrider `json:"plaintext,omitempty"`

	// ImageOverrider changes container images.
	// +optional
	// +kubebuilder:validation:MaxItems=100
	ImageOverrider []ImageOverrider `json:"imageOverrider,omitempty"`

	// CommandOverrider changes container commands.
	// +optional
	CommandOverrider []CommandArgsOverrider `json:"commandOverrider,omitempty"`

	// ArgsOverrider changes container arguments.
	// +optional
	ArgsOverrider []CommandArgsOverrider `json:"argsOverrider,omitempty"`

	// LabelsOverrider changes labels.
	// +optional
	LabelsOverrider []LabelAnnotationOverrider `json:"labelsOverrider,omitempty"`

	// AnnotationsOverrider changes annotations.
	// +optional
	AnnotationsOverrider []LabelAnnotationOverrider `json:"annotationsOverrider,omitempty"`

	// FieldOverrider patches a JSON or YAML document held in a field, such
	// as a key of a ConfigMap.
	// +optional
	// +kubebuilder:validation:MaxItems=100
	FieldOverrider []FieldOverrider `json:"fieldOverrider,omitempty"`
}

// OverriderOperator is the operation of an overrider.
// +kubebuilder:validation:Enum=add;remove;replace
type OverriderOperator string

// The overrider operations.
const (
	OverriderOpAdd     OverriderOperator = "add"
	OverriderOpRemove  OverriderOperator = "remove"
	OverriderOpReplace OverriderOperator = "replace"
)

// LabelAnnotationOverrider adds, removes or replaces labels or annotations.
type LabelAnnotationOverrider struct {
	// Operator is add, remove or replace.
	// +required
	Operator OverriderOperator `json:"operator"`

	// Value holds the keys (and values) to change.
	// +optional
	Value map[string]string `json:"value,omitempty"`
}

// ImageComponent is the part of an image reference to change.
// +kubebuilder:validation:Enum=Registry;Repository;Tag
type ImageComponent string

// The parts of an image reference.
const (
	Registry   ImageComponent = "Registry"
	Repository ImageComponent = "Repository"
	Tag        ImageComponent = "Tag"
)

// ImageOverrider changes one part of container images.
//
// +kubebuilder:validation:XValidation:rule="self.operator == 'remove' || (has(self.value) && size(self.value) > 0)",message="value is required when operator is add or replace"
type ImageOverrider struct {
	// Predicate picks one image path; absent means every image of a known
	// workload kind.
	// +optional
	Predicate *ImagePredicate `json:"predicate,omitempty"`

	// Component is Registry, Repository or Tag.
	// +required
	Component ImageComponent `json:"component"`

	// Operator is add, remove or replace.
	// +required
	Operator OverriderOperator `json:"operator"`

	// Value is the new part.
	// +optional
	Value string `json:"value,omitempty"`
}

// ImagePredicate picks one image path of an object.
type ImagePredicate struct {
	// Path to the image field, such as /spec/template/spec/containers/0/image.
	// +kubebuilder:validation:XValidation:rule="self.startsWith('/')",message="path must start with /"
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="!(self in ['/apiVersion', '/kind', '/metadata', '/metadata/name', '/metadata/namespace'])",message="an override may not change the apiVersion, kind, metadata.name or metadata.namespace of a member copy"
	// +required
	Path string `json:"path"`
}

// CommandArgsOverrider adds or removes command or args items of one
// container.
//
// +kubebuilder:validation:XValidation:rule="self.operator in ['add', 'remove']",message="operator must be add or remove"
type CommandArgsOverrider struct {
	// ContainerName is the container to change.
	// +kubebuilder:validation:MinLength=1
	// +required
	ContainerName string `json:"containerName"`

	// Operator is add or remove.
	// +required
	Operator OverriderOperator `json:"operator"`

	// Value holds the items to add or remove.
	// +optional
	Value []string `json:"value,omitempty"`
}

// PlaintextOverrider patches one path of the object.
type PlaintextOverrider struct {
	// Path to patch, such as /spec/replicas.
	// +kubebuilder:validation:XValidation:rule="self.startsWith('/')",message="path must start with /"
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="!(self in ['/apiVersion', '/kind', '/metadata', '/metadata/name', '/metadata/namespace'])",message="an override may not change the apiVersion, kind, metadata.name or metadata.namespace of a member copy"
	// +required
	Path string `json:"path"`

	// Operator is add, remove or replace.
	// +required
	Operator OverriderOperator `json:"operator"`

	// Value for add and replace.
	// +optional
	Value apiextensionsv1.JSON `json:"value,omitempty"`
}

// FieldOverrider patches a JSON or YAML document held in a string field.
//
// +kubebuilder:validation:XValidation:rule="!(has(self.json) && has(self.yaml))",message="json and yaml cannot both be set"
type FieldOverrider struct {
	// FieldPath to the string field, such as /data/config.yaml.
	// +kubebuilder:validation:XValidation:rule="self.startsWith('/')",message="fieldPath must start with /"
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="!(self in ['/apiVersion', '/kind', '/metadata', '/metadata/name', '/metadata/namespace'])",message="an override may not change the apiVersion, kind, metadata.name or metadata.namespace of a member copy"
	// +required
	FieldPath string `json:"fieldPath"`

	// JSON patches the field's JSON document.
	// +optional
	JSON []JSONPatchOperation `json:"json,omitempty"`

	// YAML patches the field's YAML document.
	// +optional
	YAML []YAMLPatchOperation `json:"yaml,omitempty"`
}

// JSONPatchOperation is one change of a JSON document.
type JSONPatchOperation struct {
	// SubPath inside the document.
	// +required
	SubPath string `json:"subPath"`

	// Operator is add, remove or replace.
	// +required
	Operator OverriderOperator `json:"operator"`

	// Value for add and replace.
	// +optional
	Value apiextensionsv1.JSON `json:"value,omitempty"`
}

// YAMLPatchOperation is one change of a YAML document.
type YAMLPatchOperation struct {
	// SubPath inside the document.
	// +required
	SubPath string `json:"subPath"`

	// Operator is add, remove or replace.
	// +required
	Operator OverriderOperator `json:"operator"`

	// Value for add and replace.
	// +optional
	Value apiextensionsv1.JSON `json:"value,omitempty"`
}

// OverridePolicyList is a list of OverridePolicies.
//
// +kubebuilder:object:root=true
type OverridePolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []OverridePolicy `json:"items"`
}

// ClusterOverridePolicyList is a list of ClusterOverridePolicies.
//
// +kubebuilder:object:root=true
type ClusterOverridePolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClusterOverridePolicy `json:"items"`
}
