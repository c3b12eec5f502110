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

package kinde2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// ensureNamespace creates a namespace in a cluster when it is missing.
func ensureNamespace(ctx context.Context, t *testing.T, kube kubernetes.Interface, name string) {
	t.Helper()
	_, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		require.NoError(t, err)
	}
}

// runHello runs the hello image once as a pod with the given arguments
// (for example "get URL N"), waits for it to end, and returns its log
// (read through the kubelet, as "kubectl logs" does) and whether it
// succeeded.
func runHello(ctx context.Context, t *testing.T, kube kubernetes.Interface, namespace, name string, args ...string) (string, bool) {
	t.Helper()
	pods := kube.CoreV1().Pods(namespace)
	_ = pods.Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		_, err := pods.Get(ctx, name, metav1.GetOptions{})
		return apierrors.IsNotFound(err), nil
	}))
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{
				Name: "hello", Image: helloImage, ImagePullPolicy: corev1.PullNever,
				Args: args,
			}},
		},
	}
	_, err := pods.Create(ctx, pod, metav1.CreateOptions{})
	require.NoError(t, err)
	var phase corev1.PodPhase
	err = wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		p, err := pods.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // the API server may be busy; retry
		}
		phase = p.Status.Phase
		return phase == corev1.PodSucceeded || phase == corev1.PodFailed, nil
	})
	require.NoError(t, err, "pod %s/%s never ended (phase %s)", namespace, name, phase)
	logs, err := pods.GetLogs(name, &corev1.PodLogOptions{}).DoRaw(ctx)
	require.NoError(t, err)
	return string(logs), phase == corev1.PodSucceeded
}

// answersByCluster counts the hello answers of a log by the cluster named
// in them ("pod=... cluster=..."); errors count under "error".
func answersByCluster(log string) map[string]int {
	counts := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if strings.HasPrefix(line, "error:") {
			counts["error"]++
			continue
		}
		for _, field := range strings.Fields(line) {
			if c, ok := strings.CutPrefix(field, "cluster="); ok {
				counts[c]++
			}
		}
	}
	return counts
}

// waitFor polls cond every second until it holds or the time is up, and
// fails the test saying what it waited for and the last reason cond gave.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func(ctx context.Context) (bool, string)) {
	t.Helper()
	framework.EventuallyEvery(t, time.Second, timeout, func(ctx context.Context) (bool, string) {
		ok, why := cond(ctx)
		return ok, what + ": " + why
	})
}
