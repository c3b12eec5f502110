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

package events

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/time/rate"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestSuccessesOncePerGeneration(t *testing.T) {
	s := &Successes{}
	obj := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{UID: "u1", Generation: 1}}
	assert.True(t, s.First(obj, SyncWorkSucceed))
	assert.False(t, s.First(obj, SyncWorkSucceed), "said at this generation")
	assert.True(t, s.First(obj, AggregateStatusSucceed), "another reason")
	obj.Generation = 2
	assert.True(t, s.First(obj, SyncWorkSucceed), "a new generation")
	s.Forget("u1")
	assert.True(t, s.First(obj, SyncWorkSucceed), "forgotten")

	off := &Successes{Off: true}
	assert.False(t, off.First(obj, SyncWorkSucceed))
	var none *Successes
	assert.False(t, none.First(obj, SyncWorkSucceed))
}

func TestMessages(t *testing.T) {
	assert.Equal(t, "Apply policy(shop/web) succeed", ApplyPolicy("shop", "web"))
	assert.Equal(t, "Apply cluster policy(all) succeed", ApplyPolicy("", "all"))
	assert.Equal(t, "Propagation policy(shop/top) preempted propagation policy(shop/low) successfully",
		Preempted("propagation policy(shop/top)", "propagation policy(shop/low)"))
	assert.Equal(t, "Binding has been scheduled successfully. Result: {m1:2, m2:1}",
		Scheduled([]workv1alpha2.TargetCluster{{Name: "m1", Replicas: 2}, {Name: "m2", Replicas: 1}}))
	rb := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-deployment"}}
	crb := &workv1alpha2.ClusterResourceBinding{ObjectMeta: metav1.ObjectMeta{Name: "ns-namespace"}}
	assert.Equal(t, "Sync work of resourceBinding(shop/web-deployment) successful.", WorksSynced(rb))
	assert.Equal(t, "Update clusterResourceBinding(ns-namespace) with AggregatedStatus successfully.", Aggregated(crb))
}

func TestSuccessesWithinABudget(t *testing.T) {
	s := &Successes{Budget: rate.NewLimiter(0, 2)}
	said := 0
	for i := range 5 {
		if s.First(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{UID: types.UID(fmt.Sprint(i)), Generation: 1}}, SyncSucceed) {
			said++
		}
	}
	assert.Equal(t, 2, said, "the burst of the budget, no more")
	s.Budget = nil
	assert.True(t, s.First(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{UID: "4", Generation: 1}}, SyncSucceed), "one over the budget was not recorded as said")
}
