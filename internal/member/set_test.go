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

package member

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
)

func TestCredentialsStayWithTheirCluster(t *testing.T) {
	secret := func(name string, ann map[string]string) *corev1.Secret {
		return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "karmada-cluster", Name: name, Annotations: ann},
			Data: map[string][]byte{"token": []byte("t")}}
	}
	cluster := func(name, endpoint, secretName string, ann map[string]string) *clusterv1alpha1.Cluster {
		return &clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: ann}, Spec: clusterv1alpha1.ClusterSpec{
			APIEndpoint: endpoint, SecretRef: &clusterv1alpha1.LocalSecretReference{Namespace: "karmada-cluster", Name: secretName}}}
	}
	reader := fake.NewClientBuilder().WithScheme(scheme.New()).WithObjects(
		secret("member1", nil), secret("creds-2", map[string]string{SecretOwnerAnnotation: "member2"})).Build()
	r := NewSet(reader, 10, 10)
	for _, tc := range []struct {
		cluster *clusterv1alpha1.Cluster
		err     string
	}{
		{cluster("member1", "https://10.0.0.1:6443", "member1", nil), ""},
		{cluster("member2", "https://10.0.0.2:6443", "creds-2", nil), ""},
		{cluster("thief", "https://evil.example:6443", "member1", nil), "is not cluster thief's"},
		{cluster("member1", "http://10.0.0.1:8080", "member1", nil), "plain http"},
		{cluster("member1", "http://10.0.0.1:8080", "member1", map[string]string{AllowPlainHTTPAnnotation: "true"}), ""},
		{cluster("member1", "ftp://10.0.0.1", "member1", nil), "must be an https:// URL"},
	} {
		_, err := r.For(t.Context(), tc.cluster)
		if tc.err == "" {
			require.NoError(t, err, "%s at %s", tc.cluster.Name, tc.cluster.Spec.APIEndpoint)
			continue
		}
		require.Error(t, err, "%s at %s", tc.cluster.Name, tc.cluster.Spec.APIEndpoint)
		assert.Contains(t, err.Error(), tc.err)
	}
}
