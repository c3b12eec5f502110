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

package scheduling

import (
	"testing"

	"github.com/stretchr/testify/assert"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func quota(name string, hard, used map[string]string, scope *corev1.ScopeSelector, scopes ...corev1.ResourceQuotaScope) corev1.ResourceQuota {
	list := func(m map[string]string) corev1.ResourceList {
		out := corev1.ResourceList{}
		for k, v := range m {
			out[corev1.ResourceName(k)] = resource.MustParse(v)
		}
		return out
	}
	return corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:   corev1.ResourceQuotaSpec{Hard: list(hard), Scopes: scopes, ScopeSelector: scope},
		Status: corev1.ResourceQuotaStatus{Hard: list(hard), Used: list(used)}}
}

func TestQuotaFree(t *testing.T) {
	plain := quota("plain", map[string]string{"requests.cpu": "2", "limits.cpu": "4", "requests.storage": "10Gi", "count/pods": "10"},
		map[string]string{"requests.cpu": "500m", "limits.cpu": "1", "requests.storage": "1Gi", "count/pods": "2"}, nil)
	tighter := quota("tighter", map[string]string{"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "2"},
		map[string]string{"cpu": "200m", "memory": "0", "nvidia.com/gpu": "1"}, nil)
	gold := quota("gold", map[string]string{"pods": "1"}, map[string]string{"pods": "0"},
		&corev1.ScopeSelector{MatchExpressions: []corev1.ScopedResourceSelectorRequirement{{
			ScopeName: corev1.ResourceQuotaScopePriorityClass, Operator: corev1.ScopeSelectorOpIn, Values: []string{"gold"}}}})
	bestEffort := quota("best-effort", map[string]string{"pods": "0"}, map[string]string{"pods": "0"}, nil, corev1.ResourceQuotaScopeBestEffort)
	notComputed := quota("new", map[string]string{"cpu": "1"}, nil, nil)
	notComputed.Status.Used = nil

	free := QuotaFree([]corev1.ResourceQuota{plain, tighter, gold, bestEffort, notComputed}, PodScope{})
	assert.Equal(t, "800m", ptrQ(free, corev1.ResourceCPU), "the least any quota leaves: 1 - 200m")
	assert.Equal(t, "1Gi", ptrQ(free, corev1.ResourceMemory))
	assert.Equal(t, "1", ptrQ(free, "nvidia.com/gpu"))
	assert.Equal(t, "8", ptrQ(free, corev1.ResourcePods), "count/pods is pods; the gold and best-effort quotas do not apply")
	assert.NotContains(t, free, corev1.ResourceName("storage"), "storage is not a pod's request")
	assert.NotContains(t, free, corev1.ResourceName("limits.cpu"))

	free = QuotaFree([]corev1.ResourceQuota{plain, gold}, PodScope{PriorityClass: "gold"})
	assert.Equal(t, "1", ptrQ(free, corev1.ResourcePods), "the gold quota applies to gold pods")
	free = QuotaFree([]corev1.ResourceQuota{bestEffort}, PodScope{BestEffort: true})
	assert.Equal(t, "0", ptrQ(free, corev1.ResourcePods))
	assert.Nil(t, QuotaFree([]corev1.ResourceQuota{gold}, PodScope{PriorityClass: "silver"}), "no quota applies")

	// A quota bounds the replicas as the nodes do.
	c := Cluster{Name: "m1", Free: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("8"), corev1.ResourcePods: resource.MustParse("100")},
		QuotaFree: QuotaFree([]corev1.ResourceQuota{plain, tighter}, PodScope{})}
	req := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}
	assert.Equal(t, int64(8), AvailableReplicas(c, req), "800m of quota left, 100m each")
	assert.True(t, QuotaBound(c, req))
	big := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")}
	assert.Equal(t, int64(0), AvailableReplicas(c, big))
	c.QuotaFree = nil
	assert.Equal(t, int64(80), AvailableReplicas(c, req))
	assert.False(t, QuotaBound(c, req))

	// Replicas another binding of the namespace was just given count
	// against the quota before their pods exist.
	c.QuotaFree = QuotaFree([]corev1.ResourceQuota{tighter}, PodScope{})
	other := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", UID: types.UID("other")}}
	other.Spec.ReplicaRequirements = &workv1alpha2.ReplicaRequirements{ResourceRequest: req}
	other.Spec.Clusters = []workv1alpha2.TargetCluster{{Name: "m1", Replicas: 3}}
	elsewhere := other.DeepCopy()
	elsewhere.Namespace, elsewhere.UID = "other-team", "elsewhere"
	clusters := []Cluster{c}
	ReserveQuota(clusters, []workv1alpha2.Binding{other, elsewhere}, "shop", "self")
	assert.Equal(t, int64(5), AvailableReplicas(clusters[0], req), "800m less 3 x 100m not started; the other team's do not count")
}

func ptrQ(l corev1.ResourceList, name corev1.ResourceName) string {
	q, ok := l[name]
	if !ok {
		return "<none>"
	}
	return q.String()
}
