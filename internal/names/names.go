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

// Package names holds the object names, labels and annotations that tools
// written for Karmada rely on, so every controller and command derives
// them in one way.
package names

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/davecgh/go-spew/spew"
	"k8s.io/apimachinery/pkg/util/rand"
)

const (
	// ClusterNamespace holds the Secrets with member credentials.
	ClusterNamespace = "karmada-cluster"
	// SystemNamespace holds our own objects on the control plane.
	SystemNamespace = "karmada-system"
	// EtcdName names the StatefulSet (and its one pod, EtcdName-0) that
	// init deploys into a host cluster; deinit reads it to say where etcd's
	// data stays.
	EtcdName = "karmada-etcd"
	// ExecutionSpacePrefix starts the name of each member's Work namespace.
	ExecutionSpacePrefix = "karmada-es-"

	// PropagationPolicyNameAnnotation names, on a template and its binding,
	// the PropagationPolicy that propagates it.
	PropagationPolicyNameAnnotation = "propagationpolicy.karmada.io/name"
	// PropagationPolicyNamespaceAnnotation is that policy's namespace.
	PropagationPolicyNamespaceAnnotation = "propagationpolicy.karmada.io/namespace"
	// PropagationPolicyPermanentIDLabel carries the policy's permanent ID,
	// on the policy itself, its templates and their bindings.
	PropagationPolicyPermanentIDLabel = "propagationpolicy.karmada.io/permanent-id"
	// ClusterPropagationPolicyAnnotation names the ClusterPropagationPolicy
	// that propagates a template.
	ClusterPropagationPolicyAnnotation = "clusterpropagationpolicy.karmada.io/name"
	// ClusterPropagationPolicyPermanentIDLabel carries that policy's
	// permanent ID.
	ClusterPropagationPolicyPermanentIDLabel = "clusterpropagationpolicy.karmada.io/permanent-id"

	// ResourceBindingPermanentIDLabel carries a ResourceBinding's permanent
	// ID, on the binding and its Works.
	ResourceBindingPermanentIDLabel = "resourcebinding.karmada.io/permanent-id"
	// ClusterResourceBindingPermanentIDLabel does the same for a
	// ClusterResourceBinding.
	ClusterResourceBindingPermanentIDLabel = "clusterresourcebinding.karmada.io/permanent-id"

	// BindingNamespaceLabel on a Work names its binding's namespace (empty
	// for a ClusterResourceBinding), so a Work event finds the binding.
	BindingNamespaceLabel = "resourcebinding.karmada.io/namespace"
	// BindingNameLabel on a Work names its binding.
	BindingNameLabel = "resourcebinding.karmada.io/name"

	// DependenciesAnnotation on a binding whose policy propagates
	// dependencies lists them (JSON), as Karmada records them.
	DependenciesAnnotation = "resourcebinding.karmada.io/dependencies"
	// dependedByLabelPrefix starts the label that an attached binding (a
	// dependency's) carries for each binding that requires it.
	dependedByLabelPrefix = "resourcebinding.karmada.io/depended-by-"

	// BindingFinalizer holds a binding until its Works are gone.
	BindingFinalizer = "karmada.io/binding-controller"
	// KeepResourcesAnnotation on a leaving Cluster keeps the propagated
	// objects running in the member ("unjoin --keep-resources").
	KeepResourcesAnnotation = "cluster.karmada.io/keep-resources"
	// ClusterFinalizer holds a leaving Cluster until its Works are gone.
	ClusterFinalizer = "karmada.io/cluster-controller"
	// ExecutionFinalizer holds a Work until its objects left the member.
	ExecutionFinalizer = "karmada.io/execution-controller"

	// ManagedByLabel marks the objects we create in members, so watches
	// there see only ours.
	ManagedByLabel = "karmada.io/managed"
	// WorkNamespaceLabel on a member object names the namespace of the
	// Work it came from.
	WorkNamespaceLabel = "work.karmada.io/namespace"
	// WorkNameLabel on a member object names that Work.
	WorkNameLabel = "work.karmada.io/name"

	// ConflictResolutionAnnotation on a manifest says whether the member's
	// own object of the same name may be taken over ("overwrite").
	ConflictResolutionAnnotation = "work.karmada.io/conflict-resolution"

	// FieldManager owns the fields the controllers apply.
	FieldManager = "karmada-controllers"
)

// MemberAccount is the ServiceAccount join makes in a member.
func MemberAccount(cluster string) string { return "karmada-" + cluster }

// MemberClusterRole is the ClusterRole (and ClusterRoleBinding) join makes
// in a member.
func MemberClusterRole(cluster string) string {
	return "karmada-controller-manager:" + MemberAccount(cluster)
}

// ExecutionSpace is the namespace of a member's Works.
func ExecutionSpace(cluster string) string { return ExecutionSpacePrefix + cluster }

// ClusterFromExecutionSpace is the member of an execution namespace, or ""
// when the namespace is not one.
func ClusterFromExecutionSpace(namespace string) string {
	cluster, ok := strings.CutPrefix(namespace, ExecutionSpacePrefix)
	if !ok {
		return ""
	}
	return cluster
}

// PolicyOf names the policy recorded in a binding's annotations: "NAME"
// for a PropagationPolicy, "cpp/NAME" for a cluster one, "" for none.
func PolicyOf(annotations map[string]string) string {
	if name := annotations[PropagationPolicyNameAnnotation]; name != "" {
		return name
	}
	if name := annotations[ClusterPropagationPolicyAnnotation]; name != "" {
		return "cpp/" + name
	}
	return ""
}

// BindingName is the name of the binding of a template: lower(name-kind),
// with ":" (allowed in some names, such as RBAC ones) made ".".
func BindingName(kind, name string) string {
	return strings.ReplaceAll(strings.ToLower(name+"-"+kind), ":", ".")
}

// DependedByLabel is the label an attached binding carries for each
// binding (namespace/name) that requires it: Karmada's key, a hash of
// the requiring binding, and its value "namespace_name" when that fits
// in a label value (the hash otherwise).
func DependedByLabel(namespace, name string) (key, value string) {
	ref := name
	if namespace != "" {
		ref = namespace + "/" + name
	}
	hash := rand.SafeEncodeString(fmt.Sprint(hashString(ref)))
	value = namespace + "_" + name
	if len(value) > 63 {
		value = hash
	}
	return dependedByLabelPrefix + hash, value
}

// IsDependedByLabel reports whether a label key is a DependedByLabel.
func IsDependedByLabel(key string) bool { return strings.HasPrefix(key, dependedByLabelPrefix) }

// WorkName is the name of a template's Work in each execution namespace:
// the template name plus a hash of namespace, name and kind.
func WorkName(kind, name, namespace string) string {
	key := strings.ToLower(name + "-" + kind)
	if namespace != "" {
		key = strings.ToLower(namespace + "-" + key)
	}
	return fmt.Sprintf("%s-%s", name, rand.SafeEncodeString(fmt.Sprint(hashString(key))))
}

// hashString hashes s the way Kubernetes' DeepHashObject hashes a string,
// which is what Karmada's work names are made of.
func hashString(s string) uint32 {
	h := fnv.New32a()
	printer := spew.ConfigState{Indent: " ", SortKeys: true, DisableMethods: true, SpewKeys: true}
	_, _ = printer.Fprintf(h, "%#v", s)
	return h.Sum32()
}
