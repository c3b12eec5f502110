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

package join

import (
	"context"
	"fmt"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/internal/memberaccess"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

// memberSide holds the objects join creates in the member.
type memberSide struct {
	namespace      *corev1.Namespace
	serviceAccount *corev1.ServiceAccount
	tokenSecret    *corev1.Secret
	guard          *admissionregistrationv1.ValidatingAdmissionPolicy
	guardBinding   *admissionregistrationv1.ValidatingAdmissionPolicyBinding
	secretsRole    *rbacv1.ClusterRole
	clusterRole    *rbacv1.ClusterRole
	binding        *rbacv1.ClusterRoleBinding
}

// memberObjects builds the member-side objects of cluster name, with the
// names Karmada uses (ServiceAccount karmada-<name>, ClusterRole
// karmada-controller-manager:karmada-<name>), and the admission guard and
// roles of package memberaccess.
func memberObjects(name string, protected []string, grants []memberaccess.Grant) memberSide {
	guard, guardBinding := memberaccess.Guard(name, protected, grants)
	account := names.MemberAccount(name)
	ns := names.ClusterNamespace
	return memberSide{
		namespace: &corev1.Namespace{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
			ObjectMeta: metav1.ObjectMeta{Name: ns},
		},
		serviceAccount: &corev1.ServiceAccount{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: account},
		},
		// A long-lived token: the member's token controller fills it in.
		tokenSecret: &corev1.Secret{
			TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
			ObjectMeta: metav1.ObjectMeta{
				Namespace:   ns,
				Name:        account + "-token",
				Annotations: map[string]string{corev1.ServiceAccountNameKey: account},
			},
			Type: corev1.SecretTypeServiceAccountToken,
		},
		guard:        guard,
		guardBinding: guardBinding,
		secretsRole:  memberaccess.SecretsRole(name),
		clusterRole:  memberaccess.Role(name, grants),
		binding:      memberaccess.RoleBinding(name),
	}
}

// objects lists the member-side objects in the order they are made.
func (m memberSide) objects() []client.Object {
	return []client.Object{m.namespace, m.serviceAccount, m.tokenSecret, m.guard, m.guardBinding, m.secretsRole, m.clusterRole, m.binding}
}

// update brings the guard and the identity's ClusterRole of a member
// already joined to these objects (another --grant or
// --protected-namespaces), and reports whether anything changed. The guard
// goes first: tightened, it limits rights the role still holds for a
// moment; loosened, it allows rights the role does not hold yet.
func (m memberSide) update(ctx context.Context, c client.Client) (bool, error) {
	changed := false
	for _, want := range []client.Object{m.guard, m.guardBinding, m.clusterRole} {
		have := want.DeepCopyObject().(client.Object)
		if err := c.Get(ctx, client.ObjectKeyFromObject(want), have); err != nil {
			return changed, err
		}
		if sameRights(have, want) {
			continue
		}
		next := want.DeepCopyObject().(client.Object)
		next.SetResourceVersion(have.GetResourceVersion())
		if err := c.Update(ctx, next); err != nil {
			return changed, err
		}
		changed = true
	}
	return changed, nil
}

// sameRights compares what join sets of a guard, its binding or a role.
func sameRights(have, want client.Object) bool {
	switch w := want.(type) {
	case *rbacv1.ClusterRole:
		return apiequality.Semantic.DeepEqual(have.(*rbacv1.ClusterRole).Rules, w.Rules)
	case *admissionregistrationv1.ValidatingAdmissionPolicy:
		h := have.(*admissionregistrationv1.ValidatingAdmissionPolicy)
		return apiequality.Semantic.DeepEqual(h.Spec.Validations, w.Spec.Validations) && apiequality.Semantic.DeepEqual(h.Spec.MatchConditions, w.Spec.MatchConditions)
	case *admissionregistrationv1.ValidatingAdmissionPolicyBinding:
		return apiequality.Semantic.DeepEqual(have.(*admissionregistrationv1.ValidatingAdmissionPolicyBinding).Spec.MatchResources, w.Spec.MatchResources)
	}
	return true
}

// create makes the member-side objects (those missing), in the order of
// objects: the guard before the rights it limits, so there is no moment
// when the identity holds them unguarded. It records how to remove the
// ones it made (all but the namespace, which may hold other clusters'
// accounts) and returns the account's token and CA bundle.
func (m memberSide) create(ctx context.Context, c client.Client, undo *undoStack, timeout time.Duration) (token, caBundle []byte, err error) {
	for _, obj := range m.objects() {
		what := obj.GetObjectKind().GroupVersionKind().Kind + " " + obj.GetName()
		err := c.Create(ctx, obj)
		switch {
		case apierrors.IsAlreadyExists(err):
			continue // left from an earlier join of the same cluster: reuse
		case obj == client.Object(m.guard) && (meta.IsNoMatchError(err) || apierrors.IsNotFound(err)):
			return nil, nil, fmt.Errorf("the member does not serve ValidatingAdmissionPolicy (Kubernetes 1.30 or later), which keeps the member identity out of system namespaces: %w", err)
		case err != nil:
			return nil, nil, fmt.Errorf("creating %s: %w", what, err)
		}
		if obj != client.Object(m.namespace) {
			undo.push(func(ctx context.Context) { _ = c.Delete(ctx, obj) })
		}
	}

	err = waitFor(ctx, timeout, func(ctx context.Context) (bool, error) {
		secret := &corev1.Secret{}
		if err := c.Get(ctx, client.ObjectKeyFromObject(m.tokenSecret), secret); err != nil {
			return false, err
		}
		token, caBundle = secret.Data[corev1.ServiceAccountTokenKey], secret.Data[corev1.ServiceAccountRootCAKey]
		return len(token) > 0 && len(caBundle) > 0, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("waiting for the token of %s (is the member's token controller running?): %w", m.serviceAccount.Name, err)
	}
	return token, caBundle, nil
}
