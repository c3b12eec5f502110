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

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	certificatesv1 "k8s.io/api/certificates/v1"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/memberaccess"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/pki"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// memberIdentity is a client of member as the identity join made there,
// with the token the control plane stores: what a thief of that token has.
func memberIdentity(t *testing.T, member string) (*kubernetes.Clientset, *rest.Config) {
	t.Helper()
	secret := &corev1.Secret{}
	require.NoError(t, cp.Get(t.Context(), client.ObjectKey{Namespace: names.ClusterNamespace, Name: member}, secret))
	cfg := &rest.Config{
		Host:            members[member].Config.Host,
		BearerToken:     string(secret.Data["token"]),
		TLSClientConfig: rest.TLSClientConfig{CAData: secret.Data["caBundle"]},
	}
	cs, err := kubernetes.NewForConfig(cfg)
	require.NoError(t, err)
	return cs, cfg
}

// firstNode names a node of e2e-m1.
func firstNode(t *testing.T) string {
	t.Helper()
	var nodes corev1.NodeList
	require.NoError(t, m1.List(t.Context(), &nodes))
	require.NotEmpty(t, nodes.Items)
	return nodes.Items[0].Name
}

// TestMemberIdentityCannotEscalate tries, with a member's stolen token, the
// known ways from "runs workloads" to cluster-admin; each must be refused.
// It first checks the token works, so a refusal is the role's doing.
func TestMemberIdentityCannotEscalate(t *testing.T) {
	ctx := t.Context()
	const member = "e2e-m1"
	thief, cfg := memberIdentity(t, member)
	ns := framework.TestNamespace(t, m1, "stolen-token")
	self := rbacv1.Subject{Kind: "ServiceAccount", Namespace: names.ClusterNamespace, Name: names.MemberAccount(member)}

	// What it is for still works.
	_, err := thief.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "fine"}}, metav1.CreateOptions{})
	require.NoError(t, err, "the member identity must still write workloads")

	pod := func(namespace, account string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "evil"}, Spec: corev1.PodSpec{
			ServiceAccountName: account, Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}}
	}
	binding := func(namespace, role string, subject rbacv1.Subject) *rbacv1.RoleBinding {
		return &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "evil"},
			RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role}, Subjects: []rbacv1.Subject{subject}}
	}
	tokenSecret := func(namespace, account string) *corev1.Secret {
		return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "evil",
			Annotations: map[string]string{corev1.ServiceAccountNameKey: account}}, Type: corev1.SecretTypeServiceAccountToken}
	}
	attempts := []struct {
		what string
		try  func(ctx context.Context) error
	}{
		{"mint a token for kube-system's clusterrole-aggregation-controller", func(ctx context.Context) error {
			_, err := thief.CoreV1().ServiceAccounts("kube-system").CreateToken(ctx, "clusterrole-aggregation-controller", &authenticationv1.TokenRequest{}, metav1.CreateOptions{})
			return err
		}},
		{"create a ServiceAccount in kube-system", func(ctx context.Context) error {
			_, err := thief.CoreV1().ServiceAccounts("kube-system").Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "evil"}}, metav1.CreateOptions{})
			return err
		}},
		{"a token Secret for a kube-system account", func(ctx context.Context) error {
			_, err := thief.CoreV1().Secrets("kube-system").Create(ctx, tokenSecret("kube-system", "clusterrole-aggregation-controller"), metav1.CreateOptions{})
			return err
		}},
		{"a token Secret for an account of a user namespace", func(ctx context.Context) error {
			_, err := thief.CoreV1().Secrets(ns).Create(ctx, tokenSecret(ns, "default"), metav1.CreateOptions{})
			return err
		}},
		{"list Secrets in kube-system", func(ctx context.Context) error {
			_, err := thief.CoreV1().Secrets("kube-system").List(ctx, metav1.ListOptions{})
			return err
		}},
		{"list Secrets everywhere", func(ctx context.Context) error {
			_, err := thief.CoreV1().Secrets("").List(ctx, metav1.ListOptions{})
			return err
		}},
		{"read its own token's Secret", func(ctx context.Context) error {
			_, err := thief.CoreV1().Secrets(names.ClusterNamespace).Get(ctx, names.MemberAccount(member)+"-token", metav1.GetOptions{})
			return err
		}},
		{"run a pod in kube-system with a powerful account", func(ctx context.Context) error {
			_, err := thief.CoreV1().Pods("kube-system").Create(ctx, pod("kube-system", "clusterrole-aggregation-controller"), metav1.CreateOptions{})
			return err
		}},
		{"a ClusterRoleBinding to cluster-admin", func(ctx context.Context) error {
			_, err := thief.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "evil"},
				RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "cluster-admin"}, Subjects: []rbacv1.Subject{self}}, metav1.CreateOptions{})
			return err
		}},
		{"a RoleBinding to cluster-admin in a user namespace", func(ctx context.Context) error {
			_, err := thief.RbacV1().RoleBindings(ns).Create(ctx, binding(ns, "cluster-admin", self), metav1.CreateOptions{})
			return err
		}},
		{"its Secrets role bound in kube-system", func(ctx context.Context) error {
			_, err := thief.RbacV1().RoleBindings("kube-system").Create(ctx, binding("kube-system", memberaccess.SecretsRoleName(member), self), metav1.CreateOptions{})
			return err
		}},
		{"its Secrets role bound in karmada-cluster", func(ctx context.Context) error {
			_, err := thief.RbacV1().RoleBindings(names.ClusterNamespace).Create(ctx, binding(names.ClusterNamespace, memberaccess.SecretsRoleName(member), self), metav1.CreateOptions{})
			return err
		}},
		{"its Secrets role bound to another account", func(ctx context.Context) error {
			other := rbacv1.Subject{Kind: "ServiceAccount", Namespace: ns, Name: "default"}
			_, err := thief.RbacV1().RoleBindings(ns).Create(ctx, binding(ns, memberaccess.SecretsRoleName(member), other), metav1.CreateOptions{})
			return err
		}},
		{"widen its own ClusterRole", func(ctx context.Context) error {
			role, err := thief.RbacV1().ClusterRoles().Get(ctx, names.MemberClusterRole(member), metav1.GetOptions{})
			if err != nil {
				return err
			}
			role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"*"}})
			_, err = thief.RbacV1().ClusterRoles().Update(ctx, role, metav1.UpdateOptions{})
			return err
		}},
		{"a mutating webhook that sees every request", func(ctx context.Context) error {
			_, err := thief.AdmissionregistrationV1().MutatingWebhookConfigurations().Create(ctx, &admissionregistrationv1.MutatingWebhookConfiguration{ObjectMeta: metav1.ObjectMeta{Name: "evil"}}, metav1.CreateOptions{})
			return err
		}},
		{"remove its admission guard", func(ctx context.Context) error {
			return thief.AdmissionregistrationV1().ValidatingAdmissionPolicyBindings().Delete(ctx, memberaccess.GuardName(member), metav1.DeleteOptions{})
		}},
		{"proxy to a node's kubelet", func(ctx context.Context) error {
			return thief.CoreV1().RESTClient().Get().AbsPath("/api/v1/nodes/" + firstNode(t) + "/proxy/pods").Do(ctx).Error()
		}},
		{"exec into a pod", func(ctx context.Context) error {
			return thief.CoreV1().RESTClient().Post().AbsPath("/api/v1/namespaces/"+ns+"/pods/any/exec").Param("command", "sh").Do(ctx).Error()
		}},
		{"ask for a node's client certificate", func(ctx context.Context) error {
			_, err := thief.CertificatesV1().CertificateSigningRequests().Create(ctx, &certificatesv1.CertificateSigningRequest{ObjectMeta: metav1.ObjectMeta{Name: "evil"},
				Spec: certificatesv1.CertificateSigningRequestSpec{Request: []byte("x"), SignerName: certificatesv1.KubeAPIServerClientKubeletSignerName, Usages: []certificatesv1.KeyUsage{certificatesv1.UsageClientAuth}}}, metav1.CreateOptions{})
			return err
		}},
		{"label a node to attract system pods", func(ctx context.Context) error {
			_, err := thief.CoreV1().Nodes().Patch(ctx, firstNode(t), types.MergePatchType, []byte(`{"metadata":{"labels":{"evil":"x"}}}`), metav1.PatchOptions{})
			return err
		}},
		{"impersonate system:masters", func(ctx context.Context) error {
			imp := rest.CopyConfig(cfg)
			imp.Impersonate = rest.ImpersonationConfig{UserName: "admin", Groups: []string{"system:masters"}}
			cs, err := kubernetes.NewForConfig(imp)
			if err != nil {
				return err
			}
			_, err = cs.CoreV1().Secrets("kube-system").List(ctx, metav1.ListOptions{})
			return err
		}},
		{"drop kube-public's labels", func(ctx context.Context) error {
			_, err := thief.CoreV1().Namespaces().Patch(ctx, "kube-public", types.MergePatchType, []byte(`{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`), metav1.PatchOptions{})
			return err
		}},
		{"delete kube-node-lease", func(ctx context.Context) error {
			return thief.CoreV1().Namespaces().Delete(ctx, "kube-node-lease", metav1.DeleteOptions{})
		}},
		{"a CRD", func(ctx context.Context) error {
			return thief.RESTClient().Post().AbsPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions").Body([]byte(`{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"evils.example.com"}}`)).Do(ctx).Error()
		}},
	}
	for _, a := range attempts {
		err := a.try(ctx)
		assert.True(t, apierrors.IsForbidden(err), "%s: want Forbidden, got %v", a.what, err)
	}

	// A cluster-scoped kind it is granted (join --grant, played here by a
	// binding the admin makes) passes the guard: the guard keeps it from
	// namespaces, not from the kinds RBAC gives it.
	granted := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "e2e-grant-priorityclasses"},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{"scheduling.k8s.io"}, Resources: []string{"priorityclasses"}, Verbs: []string{"create", "delete"}}}}
	grant := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "e2e-grant-priorityclasses"},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: granted.Name}, Subjects: []rbacv1.Subject{self}}
	for _, obj := range []client.Object{granted, grant} {
		require.NoError(t, m1.Create(ctx, obj))
		t.Cleanup(func() { _ = m1.Delete(context.Background(), obj) })
	}
	framework.Eventually(t, 10*time.Second, func(ctx context.Context) (bool, string) {
		_, err := thief.SchedulingV1().PriorityClasses().Create(ctx, &schedulingv1.PriorityClass{ObjectMeta: metav1.ObjectMeta{Name: "e2e-granted"}, Value: 10}, metav1.CreateOptions{})
		return err == nil, fmt.Sprint(err)
	})
	require.NoError(t, thief.SchedulingV1().PriorityClasses().Delete(ctx, "e2e-granted", metav1.DeleteOptions{}))

	// kubectl auth can-i list secrets -A, as the identity.
	review, err := thief.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{
		ResourceAttributes: &authorizationv1.ResourceAttributes{Verb: "list", Resource: "secrets"}}}, metav1.CreateOptions{})
	require.NoError(t, err)
	assert.False(t, review.Status.Allowed, "the member identity must not list Secrets cluster-wide")
}

// TestSecretsReachMembers propagates a Secret: the controllers bind the
// member identity's Secrets role in that namespace only, then apply it.
func TestSecretsReachMembers(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "secrets")
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"}, StringData: map[string]string{"password": "s3cret"}}
	require.NoError(t, cp.Create(t.Context(), secret))
	require.NoError(t, cp.Create(t.Context(), &policyv1alpha1.PropagationPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Secret", Name: "db"}},
			Placement:         policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m1", "e2e-m2"}}},
		},
	}))
	for name, c := range map[string]client.Client{"e2e-m1": m1, "e2e-m2": m2} {
		framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
			got := &corev1.Secret{}
			if err := c.Get(ctx, client.ObjectKeyFromObject(secret), got); err != nil {
				rb := &workv1alpha2.ResourceBinding{}
				_ = cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "db-secret"}, rb)
				return false, fmt.Sprintf("%s: %v; binding: %+v", name, err, rb.Status)
			}
			return string(got.Data["password"]) == "s3cret", name + ": wrong data"
		})
		rb := &rbacv1.RoleBinding{}
		require.NoError(t, c.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: memberaccess.SecretsRoleName(name)}, rb))
	}
	thief, _ := memberIdentity(t, "e2e-m1")
	_, err := thief.CoreV1().Secrets(ns).Get(t.Context(), "db", metav1.GetOptions{})
	require.NoError(t, err, "bound where it deploys Secrets")
	_, err = thief.CoreV1().Secrets("default").List(t.Context(), metav1.ListOptions{})
	assert.True(t, apierrors.IsForbidden(err), "not bound where it deploys none: %v", err)
}

// TestOverrideCannotMoveACopy is the tenant escape once found: an
// OverridePolicy that rewrites a ConfigMap copy's namespace to kube-system
// and its kind to ClusterRoleBinding. The API refuses every path that
// holds a copy's identity. (Policies stored before this rule, which the
// API server lets stand, are refused when rendering: a unit test of
// package overrides.)
func TestOverrideCannotMoveACopy(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "tenant")
	value := func(v string) apiextensionsv1.JSON { return apiextensionsv1.JSON{Raw: []byte(v)} }
	op := func(name, path, v string) *policyv1alpha1.OverridePolicy {
		return &policyv1alpha1.OverridePolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Spec: policyv1alpha1.OverrideSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "ConfigMap", Name: "settings"}},
			OverrideRules: []policyv1alpha1.RuleWithCluster{{Overriders: policyv1alpha1.Overriders{Plaintext: []policyv1alpha1.PlaintextOverrider{{
				Path: path, Operator: policyv1alpha1.OverriderOpReplace, Value: value(v)}}}}},
		}}
	}
	for path, v := range map[string]string{"/metadata/namespace": `"kube-system"`, "/kind": `"ClusterRoleBinding"`, "/apiVersion": `"rbac.authorization.k8s.io/v1"`,
		"/metadata/name": `"x"`, "/metadata": `{"name":"settings","namespace":"kube-system"}`} {
		err := cp.Create(t.Context(), op("refused", path, v))
		require.Error(t, err, path)
		assert.Contains(t, err.Error(), "an override may not change the apiVersion, kind, metadata.name or metadata.namespace", path)
	}

}

// TestPolicySelectorsThatCannotSelect: a label selector that is not valid
// and a kind the control plane does not serve are reported on the policy,
// and neither keeps the policy's other selectors from propagating.
func TestPolicySelectorsThatCannotSelect(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "bad-selectors")
	require.NoError(t, cp.Create(t.Context(), &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "settings"}, Data: map[string]string{"k": "v"}}))
	require.NoError(t, cp.Create(t.Context(), &policyv1alpha1.PropagationPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "mixed"},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{
				{APIVersion: "example.com/v1", Kind: "Widget"},
				{APIVersion: "v1", Kind: "Service", LabelSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "In"}}}},
				{APIVersion: "v1", Kind: "ConfigMap", Name: "settings"},
			},
			Placement: policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m1"}}},
		},
	}))
	fw.ExpectEventOn(t, ns, "PropagationPolicy", "mixed", "ApplyPolicyFailed", "resourceSelectors[0]: the control plane does not serve example.com/v1 Widget")
	fw.ExpectEventOn(t, ns, "PropagationPolicy", "mixed", "ApplyPolicyFailed", "resourceSelectors[1].labelSelector selects nothing")
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		err := m1.Get(ctx, client.ObjectKey{Namespace: ns, Name: "settings"}, &corev1.ConfigMap{})
		return err == nil, fmt.Sprintf("the ConfigMap the policy also selects: %v", err)
	})
}

// TestBindingNamesThatCannotBe: two templates whose names fold to one
// binding name, and a template name too long for a binding, are reported
// on the template instead of only in the controllers' log.
func TestBindingNamesThatCannotBe(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "binding-names")
	for _, name := range []string{"Admin", "admin"} {
		require.NoError(t, cp.Create(t.Context(), &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}))
	}
	long := strings.Repeat("x", 250)
	require.NoError(t, cp.Create(t.Context(), &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: long}}))
	require.NoError(t, cp.Create(t.Context(), &policyv1alpha1.PropagationPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "all"},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "Role"}, {APIVersion: "v1", Kind: "ConfigMap", Name: long}},
			Placement:         policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m1"}}},
		},
	}))
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		var list eventsv1.EventList
		if err := cp.List(ctx, &list, client.InNamespace(ns)); err != nil {
			return false, err.Error()
		}
		for _, e := range list.Items {
			if e.Regarding.Kind == "Role" && e.Reason == "ApplyPolicyFailed" && strings.Contains(e.Note, "belongs to another template") {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d events, none about the folded Role names", len(list.Items))
	})
	fw.ExpectEventOn(t, ns, "ConfigMap", long, "ApplyPolicyFailed", "the binding cannot be written")
}

// TestControllersIdentityIsNarrow acts as the controllers' own user on the
// control plane: it may label templates and make execution namespaces,
// and nothing a stolen credential would want (rewrite a Secret or a CRD,
// make or remove other namespaces).
func TestControllersIdentityIsNarrow(t *testing.T) {
	ctx := t.Context()
	cfg := rest.CopyConfig(controlPlane.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: pki.ControllersUser}
	as, err := kubernetes.NewForConfig(cfg)
	require.NoError(t, err)
	ns := framework.TestNamespace(t, cp, "narrow")
	require.NoError(t, cp.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"}, StringData: map[string]string{"password": "a"}}))

	// What the controllers do.
	_, err = as.CoreV1().Secrets(ns).Patch(ctx, "db", types.MergePatchType, []byte(`{"metadata":{"labels":{"propagationpolicy.karmada.io/permanent-id":"x"}}}`), metav1.PatchOptions{})
	require.NoError(t, err, "labelling a template")
	_, err = as.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: names.ExecutionSpace("narrow-test")}}, metav1.CreateOptions{})
	require.NoError(t, err, "an execution namespace")
	require.NoError(t, as.CoreV1().Namespaces().Delete(ctx, names.ExecutionSpace("narrow-test"), metav1.DeleteOptions{}))

	// What they must not.
	for what, try := range map[string]func() error{
		"rewrite a Secret's data": func() error {
			_, err := as.CoreV1().Secrets(ns).Patch(ctx, "db", types.MergePatchType, []byte(`{"data":{"password":"Yg=="}}`), metav1.PatchOptions{})
			return err
		},
		"make another namespace": func() error {
			_, err := as.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "evil"}}, metav1.CreateOptions{})
			return err
		},
		"remove a tenant's namespace": func() error {
			return as.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
		},
		"change a CRD": func() error {
			return as.RESTClient().Patch(types.MergePatchType).AbsPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/works.work.karmada.io").
				Body([]byte(`{"spec":{"names":{"shortNames":["evil"]}}}`)).Do(ctx).Error()
		},
		"a mutating webhook": func() error {
			_, err := as.AdmissionregistrationV1().MutatingWebhookConfigurations().Create(ctx, &admissionregistrationv1.MutatingWebhookConfiguration{ObjectMeta: metav1.ObjectMeta{Name: "evil"}}, metav1.CreateOptions{})
			return err
		},
	} {
		err := try()
		assert.True(t, apierrors.IsForbidden(err), "%s: want Forbidden, got %v", what, err)
		assert.NotContains(t, fmt.Sprint(err), "resulted in error", "%s: refused by the rule, not by an error in it", what)
	}
}
