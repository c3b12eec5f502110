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

// Package rbac holds the role "init" gives karmada-controllers on the
// control plane: it reads every kind (templates can be anything) and
// updates them (policy labels, status back to the template), owns the
// Karmada and MCS objects, makes and removes the execution namespaces, records events
// and holds its leader lease. It cannot create or delete other kinds,
// escalate, bind or impersonate.
//
// RBAC cannot say "only execution namespaces" or "only labels", so
// ControllersGuard, an admission policy matched to the controllers' user,
// says it: namespaces made and removed are karmada-es-* only, and on any
// kind but ours an update changes metadata (policy labels and
// annotations) and nothing else; status goes through the status
// subresource. A stolen controllers credential then cannot rewrite a
// Secret, a webhook or a CRD, nor remove a tenant's namespace.
package rbac

import (
	"fmt"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

// Name of the ClusterRole and its binding.
const Name = "karmada-controllers"

// ControllersRole is the ClusterRole.
func ControllersRole() *rbacv1.ClusterRole {
	return &rbacv1.ClusterRole{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: metav1.ObjectMeta{Name: Name},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"get", "list", "watch", "update", "patch"}},
			{APIGroups: ownGroups, Resources: []string{"*"}, Verbs: []string{"*"}},
			{APIGroups: []string{""}, Resources: []string{"namespaces"}, Verbs: []string{"create", "delete"}}, // karmada-es-<cluster>
			{APIGroups: []string{"", "events.k8s.io"}, Resources: []string{"events"}, Verbs: []string{"create", "patch", "update"}},
			{APIGroups: []string{"coordination.k8s.io"}, Resources: []string{"leases"}, Verbs: []string{"create", "get", "list", "watch", "update", "patch", "delete"}},
		},
	}
}

// ControllersBinding binds the role to user.
func ControllersBinding(user string) *rbacv1.ClusterRoleBinding {
	return &rbacv1.ClusterRoleBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: Name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	}
}

// ownGroups are the API groups whose objects the controllers own.
var ownGroups = []string{"cluster.karmada.io", "policy.karmada.io", "work.karmada.io", "multicluster.x-k8s.io"}

// ControllersGuard is the admission policy, and its binding, that holds
// user to what the controllers write on the control plane.
func ControllersGuard(user string) (*admissionregistrationv1.ValidatingAdmissionPolicy, *admissionregistrationv1.ValidatingAdmissionPolicyBinding) {
	forbidden := metav1.StatusReasonForbidden
	fail := admissionregistrationv1.Fail
	own := "["
	for i, g := range ownGroups {
		if i > 0 {
			own += ", "
		}
		own += fmt.Sprintf("%q", g)
	}
	own += "]"
	policy := &admissionregistrationv1.ValidatingAdmissionPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: Name},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicySpec{
			FailurePolicy: &fail,
			MatchConstraints: &admissionregistrationv1.MatchResources{ResourceRules: []admissionregistrationv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionregistrationv1.RuleWithOperations{
					Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create, admissionregistrationv1.Update, admissionregistrationv1.Delete},
					Rule:       admissionregistrationv1.Rule{APIGroups: []string{"*"}, APIVersions: []string{"*"}, Resources: []string{"*/*"}},
				},
			}}},
			MatchConditions: []admissionregistrationv1.MatchCondition{{
				Name:       "controllers",
				Expression: fmt.Sprintf("request.userInfo.username == %q", user),
			}},
			Validations: []admissionregistrationv1.Validation{
				{
					Expression: fmt.Sprintf("request.resource.group != '' || request.resource.resource != 'namespaces' || request.operation == 'UPDATE' || request.name.startsWith(%q)", names.ExecutionSpacePrefix),
					Message:    fmt.Sprintf("karmada-controllers may only create and delete the %s* namespaces", names.ExecutionSpacePrefix),
					Reason:     &forbidden,
				},
				{
					// Events, leases and our own kinds are written whole.
					Expression: "request.operation != 'UPDATE' || (has(request.subResource) && request.subResource != '') || request.resource.group in " + own +
						" || request.resource.resource in ['events', 'leases'] || " +
						"(object.all(k, k == 'metadata' || k == 'status' || (k in oldObject && object[k] == oldObject[k])) && " +
						"oldObject.all(k, k == 'metadata' || k == 'status' || k in object))",
					Message: "karmada-controllers may only change the labels and annotations of a template (and its status, through the status subresource)",
					Reason:  &forbidden,
				},
			},
		},
	}
	binding := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicyBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: Name},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName:        Name,
			ValidationActions: []admissionregistrationv1.ValidationAction{admissionregistrationv1.Deny},
		},
	}
	return policy, binding
}
