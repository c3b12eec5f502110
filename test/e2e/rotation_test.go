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

	"github.com/stretchr/testify/require"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	workv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestMemberTokenRotates: a member's credentials Secret is all the
// controllers go by. A token that no longer works stops the applies to
// that member (they say why); a new token from the member takes over at
// once, for applies and for the watches that bring member status back.
func TestMemberTokenRotates(t *testing.T) {
	ctx := t.Context()
	key := client.ObjectKey{Namespace: names.ClusterNamespace, Name: "e2e-m2"}
	setToken := func(token []byte) {
		t.Helper()
		secret := &corev1.Secret{}
		require.NoError(t, cp.Get(context.WithoutCancel(ctx), key, secret))
		secret.Data["token"] = token
		require.NoError(t, cp.Update(context.WithoutCancel(ctx), secret))
	}
	secret := &corev1.Secret{}
	require.NoError(t, cp.Get(ctx, key, secret))
	joined := secret.Data["token"]
	t.Cleanup(func() { setToken(joined) })

	ns := framework.TestNamespace(t, cp, "rotate")
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "web", 2)))
	require.NoError(t, cp.Create(ctx, framework.Policy(ns, "web", []string{"e2e-m2"}, nil)))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m2": 2})

	setToken([]byte("revoked"))
	fw.Scale(t, ns, "web", 3)
	work := &workv1alpha1.Work{}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		if err := cp.Get(ctx, client.ObjectKey{Namespace: names.ExecutionSpace("e2e-m2"), Name: names.WorkName("Deployment", "web", ns)}, work); err != nil {
			return false, err.Error()
		}
		c := meta.FindStatusCondition(work.Status.Conditions, workv1alpha1.WorkApplied)
		return c != nil && c.ObservedGeneration == work.Generation && strings.Contains(c.Message, "provide credentials"), fmt.Sprint(c)
	})

	m2Kube, err := kubernetes.NewForConfig(members["e2e-m2"].Config)
	require.NoError(t, err)
	fresh, err := m2Kube.CoreV1().ServiceAccounts(names.ClusterNamespace).CreateToken(ctx, names.MemberAccount("e2e-m2"),
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](3600)}}, metav1.CreateOptions{})
	require.NoError(t, err)
	setToken([]byte(fresh.Status.Token))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m2": 3})
}
