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

// Package memberaccess defines what the identity join makes in a member
// may do there, and the admission guard that holds it to that.
//
// The identity runs workloads for the control plane, so it writes the
// workload kinds in every namespace, except the protected ones (kube-*,
// karmada-cluster and those the user names): RBAC cannot leave namespaces
// out, so a ValidatingAdmissionPolicy that matches only this identity
// refuses its writes there. What RBAC can leave out, it does: no RBAC
// objects, webhooks, CRDs, nodes, CSRs, TokenRequests, pods/exec or
// nodes/proxy. Secrets, which would show kube-system's tokens and cloud
// credentials if readable everywhere, are granted per namespace: the
// controllers bind SecretsRole in a namespace the first time they put a
// Secret there, and the guard only lets the identity make that one
// binding, for itself, outside protected namespaces. docs/security.md
// walks the escalation paths this closes.
package memberaccess

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

// DefaultProtected are the namespaces the member identity never writes in.
var DefaultProtected = []string{metav1.NamespaceSystem, metav1.NamespacePublic, "kube-node-lease", names.ClusterNamespace}

var (
	readWrite = []string{"get", "list", "watch", "create", "update", "patch", "delete"}
	read      = []string{"get", "list", "watch"}
)

// workloadRules are the kinds the identity applies and watches in every
// namespace: what Karmada users propagate, and what service discovery
// writes. Only the listed resources: a subresource such as pods/exec or
// serviceaccounts/token is not among them.
var workloadRules = []rbacv1.PolicyRule{
	{APIGroups: []string{""}, Resources: []string{"configmaps", "services", "endpoints", "persistentvolumeclaims", "pods",
		"serviceaccounts", "replicationcontrollers", "podtemplates", "limitranges", "resourcequotas"}, Verbs: readWrite},
	{APIGroups: []string{"apps"}, Resources: []string{"deployments", "statefulsets", "daemonsets", "replicasets", "controllerrevisions"}, Verbs: readWrite},
	{APIGroups: []string{"batch"}, Resources: []string{"jobs", "cronjobs"}, Verbs: readWrite},
	{APIGroups: []string{"autoscaling"}, Resources: []string{"horizontalpodautoscalers"}, Verbs: readWrite},
	{APIGroups: []string{"policy"}, Resources: []string{"poddisruptionbudgets"}, Verbs: readWrite},
	{APIGroups: []string{"networking.k8s.io"}, Resources: []string{"ingresses", "networkpolicies"}, Verbs: readWrite},
	{APIGroups: []string{"discovery.k8s.io"}, Resources: []string{"endpointslices"}, Verbs: readWrite},
	{APIGroups: []string{"multicluster.x-k8s.io"}, Resources: []string{"serviceexports", "serviceimports", "serviceexports/status", "serviceimports/status"}, Verbs: readWrite},
}

// Role is the member identity's ClusterRole, bound cluster-wide, with the
// extra grants the user chose at join.
func Role(cluster string, grants []Grant) *rbacv1.ClusterRole {
	rules := make([]rbacv1.PolicyRule, 0, 5+len(workloadRules)+len(grants))
	rules = append(rules,
		// Precise cluster status: health, version, APIs, node and pod
		// summaries. Namespaces: propagated ones and those workloads need.
		rbacv1.PolicyRule{NonResourceURLs: []string{"/readyz", "/healthz", "/livez", "/version", "/api", "/api/*", "/apis", "/apis/*"}, Verbs: []string{"get"}},
		rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"nodes"}, Verbs: read},
		rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"namespaces"}, Verbs: readWrite},
		// The one binding it may make: Secrets in a namespace it deploys to.
		rbacv1.PolicyRule{APIGroups: []string{rbacv1.GroupName}, Resources: []string{"rolebindings"}, Verbs: []string{"create"}},
		rbacv1.PolicyRule{APIGroups: []string{rbacv1.GroupName}, Resources: []string{"clusterroles"}, Verbs: []string{"bind"}, ResourceNames: []string{SecretsRoleName(cluster)}},
	)
	rules = append(rules, workloadRules...)
	for _, g := range grants {
		rules = append(rules, g.rule())
	}
	return &rbacv1.ClusterRole{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: metav1.ObjectMeta{Name: names.MemberClusterRole(cluster)},
		Rules:      rules,
	}
}

// RoleBinding binds Role to the member identity, cluster-wide.
func RoleBinding(cluster string) *rbacv1.ClusterRoleBinding {
	return &rbacv1.ClusterRoleBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: names.MemberClusterRole(cluster)},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: names.MemberClusterRole(cluster)},
		Subjects:   []rbacv1.Subject{subject(cluster)},
	}
}

func subject(cluster string) rbacv1.Subject {
	return rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: names.ClusterNamespace, Name: names.MemberAccount(cluster)}
}

// SecretsRoleName is the ClusterRole with the Secret rights, bound only
// in the namespaces the identity deploys Secrets to.
func SecretsRoleName(cluster string) string { return names.MemberClusterRole(cluster) + ":secrets" }

// SecretsRole holds the rights on Secrets, never bound cluster-wide.
func SecretsRole(cluster string) *rbacv1.ClusterRole {
	return &rbacv1.ClusterRole{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: metav1.ObjectMeta{Name: SecretsRoleName(cluster)},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: readWrite}},
	}
}

// SecretsBinding grants SecretsRole in one namespace. The controllers make
// it, as the member identity, before a Secret's first apply there.
func SecretsBinding(cluster, namespace string) *rbacv1.RoleBinding {
	return &rbacv1.RoleBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: SecretsRoleName(cluster)},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: SecretsRoleName(cluster)},
		Subjects:   []rbacv1.Subject{subject(cluster)},
	}
}

// GuardName names the ValidatingAdmissionPolicy and its binding.
func GuardName(cluster string) string { return "karmada-member-" + cluster }

// Guard is the admission policy that holds the member identity to what it
// is for, where RBAC cannot: it refuses the identity's writes in protected
// namespaces and to them, ServiceAccount token Secrets (a token for any
// account), and any RoleBinding but its own Secrets binding.
func Guard(cluster string, protected []string, grants []Grant) (*admissionregistrationv1.ValidatingAdmissionPolicy, *admissionregistrationv1.ValidatingAdmissionPolicyBinding) {
	quoted := make([]string, 0, len(protected))
	for _, ns := range protected {
		quoted = append(quoted, strconv.Quote(ns))
	}
	list := "[" + strings.Join(quoted, ", ") + "]"
	sa := subject(cluster)
	validations := []admissionregistrationv1.Validation{
		// A cluster-scoped request has no namespace (the key is absent).
		{Expression: "!has(request.namespace) || !(request.namespace in " + list + ")",
			Message: "the karmada member identity may not write in a protected namespace (" + strings.Join(protected, ", ") + ")"},
		{Expression: "request.resource.resource != 'namespaces' || !(request.name in " + list + ")",
			Message: "the karmada member identity may not change a protected namespace"},
		{Expression: "request.resource.resource != 'secrets' || request.operation == 'DELETE' || !has(object.type) || object.type != 'kubernetes.io/service-account-token'",
			Message: "the karmada member identity may not create ServiceAccount token Secrets"},
	}
	if !slices.Contains(grants, Grant{Group: rbacv1.GroupName, Resource: "rolebindings"}) {
		validations = append(validations, admissionregistrationv1.Validation{
			Expression: fmt.Sprintf("request.resource.resource != 'rolebindings' || request.operation == 'DELETE' || "+
				"(object.roleRef.kind == 'ClusterRole' && object.roleRef.name == %q && size(object.subjects) == 1 && "+
				"object.subjects[0].kind == 'ServiceAccount' && object.subjects[0].namespace == %q && object.subjects[0].name == %q)",
				SecretsRoleName(cluster), sa.Namespace, sa.Name),
			Message: "the karmada member identity may only bind its own Secrets role to itself",
		})
	}
	forbidden := metav1.StatusReasonForbidden
	for i := range validations {
		validations[i].Reason = &forbidden
	}
	fail := admissionregistrationv1.Fail
	policy := &admissionregistrationv1.ValidatingAdmissionPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: GuardName(cluster)},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicySpec{
			FailurePolicy: &fail,
			MatchConstraints: &admissionregistrationv1.MatchResources{ResourceRules: []admissionregistrationv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionregistrationv1.RuleWithOperations{
					Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create, admissionregistrationv1.Update, admissionregistrationv1.Delete},
					Rule:       admissionregistrationv1.Rule{APIGroups: []string{"*"}, APIVersions: []string{"*"}, Resources: []string{"*/*"}},
				},
			}}},
			MatchConditions: []admissionregistrationv1.MatchCondition{{
				Name:       "member-identity",
				Expression: fmt.Sprintf("request.userInfo.username == %q", "system:serviceaccount:"+sa.Namespace+":"+sa.Name),
			}},
			Validations: validations,
		},
	}
	binding := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicyBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: GuardName(cluster)},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName:        GuardName(cluster),
			ValidationActions: []admissionregistrationv1.ValidationAction{admissionregistrationv1.Deny},
		},
	}
	return policy, binding
}

// Grant is a kind beyond the workloads that the user lets the member
// identity write, knowing what it allows (join --grant).
type Grant struct {
	Group, Resource string
}

// ParseGrant reads GROUP/RESOURCE ("rbac.authorization.k8s.io/roles"; a
// core resource is "/persistentvolumes" or "persistentvolumes").
func ParseGrant(s string) (Grant, error) {
	group, resource, found := strings.Cut(s, "/")
	if !found {
		group, resource = "", s
	}
	if resource == "" || strings.ContainsAny(resource, "*/") || strings.Contains(group, "*") {
		return Grant{}, fmt.Errorf("--grant %q: want GROUP/RESOURCE naming one resource, such as apiextensions.k8s.io/customresourcedefinitions", s)
	}
	return Grant{Group: group, Resource: resource}, nil
}

func (g Grant) String() string { return g.Group + "/" + g.Resource }

func (g Grant) rule() rbacv1.PolicyRule {
	verbs := readWrite
	if g.Group == rbacv1.GroupName && (g.Resource == "roles" || g.Resource == "clusterroles") {
		// To propagate a Role it does not itself hold.
		verbs = append(slices.Clone(readWrite), "escalate")
	}
	if g.Group == rbacv1.GroupName && (g.Resource == "rolebindings" || g.Resource == "clusterrolebindings") {
		verbs = append(slices.Clone(readWrite), "bind")
	}
	return rbacv1.PolicyRule{APIGroups: []string{g.Group}, Resources: []string{g.Resource}, Verbs: verbs}
}

// Warning says what a grant lets a stolen member token do.
func (g Grant) Warning() string {
	switch {
	case g.Group == rbacv1.GroupName:
		return fmt.Sprintf("--grant %s: the member identity may give accounts rights it does not hold itself; a stolen member token is then as good as cluster-admin", g)
	case g.Group == "admissionregistration.k8s.io":
		return fmt.Sprintf("--grant %s: the member identity may see or change every request to the member's API; a stolen member token is then as good as cluster-admin", g)
	case g.Group == "apiextensions.k8s.io":
		return fmt.Sprintf("--grant %s: the member identity may add and remove APIs, and delete every object of a CRD it removes", g)
	case g.Group == "" && g.Resource == "secrets":
		return fmt.Sprintf("--grant %s: the member identity may read every Secret outside the protected namespaces without binding itself per namespace", g)
	}
	return fmt.Sprintf("--grant %s: the member identity may read and write every %s outside the protected namespaces", g, g)
}
