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
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestStatusOfEveryKindKarmadaAggregates: the templates of the kinds
// Karmada aggregates get their status from their members, as Karmada
// makes it, and the control plane's API server accepts it: a Job runs in
// two members and completes once both completed; a Pod is Running once
// every copy runs; a claim no member binds stays Pending; a
// PodDisruptionBudget adds up the members' counts.
func TestStatusOfEveryKindKarmadaAggregates(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "status")
	two := []string{"e2e-m1", "e2e-m2"}

	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "once"}, Spec: batchv1.JobSpec{
		Completions: ptr.To[int32](1),
		Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}},
	}}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "single"}, Spec: corev1.PodSpec{
		Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}}
	claim := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "data"}, Spec: corev1.PersistentVolumeClaimSpec{
		AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
		Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
	}}
	web := framework.Nginx(ns, "web", 2)
	budget := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "web"}, Spec: policyv1.PodDisruptionBudgetSpec{
		MinAvailable: ptr.To(intstr.FromInt32(1)), Selector: &metav1.LabelSelector{MatchLabels: web.Spec.Selector.MatchLabels}}}
	for _, o := range []client.Object{job, pod, claim, web, budget} {
		require.NoError(t, cp.Create(ctx, o))
	}
	policy := framework.Policy(ns, "all", two, &policyv1alpha1.ReplicaSchedulingStrategy{ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDuplicated})
	policy.Spec.ResourceSelectors = []policyv1alpha1.ResourceSelector{
		{APIVersion: "batch/v1", Kind: "Job"}, {APIVersion: "v1", Kind: "Pod"}, {APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		{APIVersion: "apps/v1", Kind: "Deployment"}, {APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
	}
	require.NoError(t, cp.Create(ctx, policy))

	status := func(obj client.Object, check func() string) {
		t.Helper()
		framework.Eventually(t, 90*time.Second, func(ctx context.Context) (bool, string) {
			if err := cp.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
				return false, err.Error()
			}
			why := check()
			return why == "", why
		})
	}
	status(job, func() string {
		s := job.Status
		complete := false
		for _, c := range s.Conditions {
			complete = complete || (c.Type == batchv1.JobComplete && c.Status == corev1.ConditionTrue)
		}
		if !complete || s.Succeeded != 2 || s.StartTime == nil || s.CompletionTime == nil {
			return fmt.Sprintf("job status %+v", s)
		}
		return ""
	})
	status(pod, func() string {
		if pod.Status.Phase != corev1.PodRunning || len(pod.Status.ContainerStatuses) != 1 || !pod.Status.ContainerStatuses[0].Ready {
			return fmt.Sprintf("pod status %+v", pod.Status)
		}
		return ""
	})
	status(claim, func() string {
		if claim.Status.Phase != corev1.ClaimPending {
			return fmt.Sprintf("claim status %+v", claim.Status)
		}
		return ""
	})
	status(budget, func() string {
		s := budget.Status
		// Two replicas in each member, one of each must stay.
		if s.ExpectedPods != 4 || s.CurrentHealthy != 4 || s.DesiredHealthy != 2 || s.DisruptionsAllowed != 2 || s.ObservedGeneration != budget.Generation {
			return fmt.Sprintf("budget status %+v", s)
		}
		return ""
	})
}
