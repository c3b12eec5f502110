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

package crds

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

func TestControlPlaneCRDs(t *testing.T) {
	all, err := ControlPlane()
	require.NoError(t, err)

	type want struct {
		version    string
		scope      apiextensionsv1.ResourceScope
		shortNames []string
	}
	expected := map[string]want{
		"clusters.cluster.karmada.io":                  {"v1alpha1", apiextensionsv1.ClusterScoped, nil},
		"propagationpolicies.policy.karmada.io":        {"v1alpha1", apiextensionsv1.NamespaceScoped, []string{"pp"}},
		"clusterpropagationpolicies.policy.karmada.io": {"v1alpha1", apiextensionsv1.ClusterScoped, []string{"cpp"}},
		"overridepolicies.policy.karmada.io":           {"v1alpha1", apiextensionsv1.NamespaceScoped, []string{"op"}},
		"clusteroverridepolicies.policy.karmada.io":    {"v1alpha1", apiextensionsv1.ClusterScoped, []string{"cop"}},
		"resourcebindings.work.karmada.io":             {"v1alpha2", apiextensionsv1.NamespaceScoped, []string{"rb"}},
		"clusterresourcebindings.work.karmada.io":      {"v1alpha2", apiextensionsv1.ClusterScoped, []string{"crb"}},
		"works.work.karmada.io":                        {"v1alpha1", apiextensionsv1.NamespaceScoped, nil},
		"serviceexports.multicluster.x-k8s.io":         {"v1beta1", apiextensionsv1.NamespaceScoped, []string{"svcex", "svcexport"}},
		"serviceimports.multicluster.x-k8s.io":         {"v1beta1", apiextensionsv1.NamespaceScoped, []string{"svcim", "svcimport"}},
	}
	got := map[string]bool{}
	for _, crd := range all {
		w, ok := expected[crd.Name]
		if !assert.True(t, ok, "unexpected CRD %s", crd.Name) {
			continue
		}
		got[crd.Name] = true
		assert.Equal(t, w.scope, crd.Spec.Scope, crd.Name)
		assert.ElementsMatch(t, w.shortNames, crd.Spec.Names.ShortNames, crd.Name)
		storage := ""
		for _, v := range crd.Spec.Versions {
			if v.Storage {
				storage = v.Name
			}
			require.NotNil(t, v.Schema, "%s %s has no schema", crd.Name, v.Name)
		}
		assert.Equal(t, w.version, storage, crd.Name)
	}
	assert.Len(t, got, len(expected))
}

func TestMCSServesBothVersions(t *testing.T) {
	mcs, err := MCS()
	require.NoError(t, err)
	for _, crd := range mcs {
		var served []string
		for _, v := range crd.Spec.Versions {
			if v.Served {
				served = append(served, v.Name)
			}
		}
		assert.ElementsMatch(t, []string{"v1alpha1", "v1beta1"}, served, crd.Name)
	}
}
