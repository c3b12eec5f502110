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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// TestMemberRunsWorkloads checks a member behaves as a real cluster: its
// fake nodes carry the topology labels and capacity, a Deployment becomes
// Ready with pods that have IPs, and its Service gets an EndpointSlice with
// those IPs. Later features (status aggregation, service discovery) stand
// on exactly this.
func TestMemberRunsWorkloads(t *testing.T) {
	ctx := t.Context()

	var nodes corev1.NodeList
	require.NoError(t, m1.List(ctx, &nodes))
	require.Len(t, nodes.Items, 2)
	for _, n := range nodes.Items {
		assert.Equal(t, "us-east", n.Labels[localcluster.LabelRegion])
		assert.Equal(t, "us-east-1a", n.Labels[localcluster.LabelZone])
		assert.Equal(t, "4", n.Status.Allocatable.Cpu().String())
	}

	ns := framework.TestNamespace(t, m1, "workloads")
	labels := map[string]string{"app": "web"}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](3),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name:      "web",
					Image:     "nginx",
					Ports:     []corev1.ContainerPort{{ContainerPort: 80}},
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")}},
				}}},
			},
		},
	}
	require.NoError(t, m1.Create(ctx, dep))
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "web"},
		Spec: corev1.ServiceSpec{
			Selector: labels,
			Ports:    []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromInt32(80)}},
		},
	}
	require.NoError(t, m1.Create(ctx, svc))

	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		if err := m1.Get(ctx, client.ObjectKeyFromObject(dep), dep); err != nil {
			return false, err
		}
		return dep.Status.ReadyReplicas == 3, nil
	})
	require.NoError(t, err, "the Deployment never became ready: %+v", dep.Status)

	var pods corev1.PodList
	require.NoError(t, m1.List(ctx, &pods, client.InNamespace(ns), client.MatchingLabels(labels)))
	require.Len(t, pods.Items, 3)
	podIPs := map[string]bool{}
	for _, p := range pods.Items {
		assert.Equal(t, corev1.PodRunning, p.Status.Phase)
		assert.NotEmpty(t, p.Spec.NodeName, "scheduled by the member's kube-scheduler")
		require.NotEmpty(t, p.Status.PodIP)
		podIPs[p.Status.PodIP] = true
	}

	err = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		var slices discoveryv1.EndpointSliceList
		if err := m1.List(ctx, &slices, client.InNamespace(ns), client.MatchingLabels{discoveryv1.LabelServiceName: "web"}); err != nil {
			return false, err
		}
		got := map[string]bool{}
		for _, s := range slices.Items {
			for _, e := range s.Endpoints {
				if e.Conditions.Ready != nil && *e.Conditions.Ready {
					got[e.Addresses[0]] = true
				}
			}
		}
		return assert.ObjectsAreEqual(podIPs, got), nil
	})
	require.NoError(t, err, "the Service's EndpointSlice never held the pod IPs %v", podIPs)
}
