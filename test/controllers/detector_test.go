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

package controllers

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/detector"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestDetectorPicksThePolicy: the detector binds a template to the policy
// Karmada's rules pick (the higher priority here), names it on the
// binding, copies the template's replicas and requests, and moves the
// binding to the other policy when the chosen one goes.
func TestDetectorPicksThePolicy(t *testing.T) {
	runAlone(t, func(mgr ctrl.Manager) error {
		return (&detector.Detector{Client: mgr.GetClient(), Cache: mgr.GetCache(), Recorder: mgr.GetEventRecorder("detector")}).SetupWithManager(mgr)
	})
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "detector")
	require.NoError(t, cp.Create(ctx, framework.Nginx(ns, "web", 4)))
	low := framework.Policy(ns, "low", []string{"m1"}, nil)
	high := framework.Policy(ns, "high", []string{"m2"}, nil)
	high.Spec.Priority = ptr.To[int32](10)
	// Should low claim web first, high still takes it.
	high.Spec.Preemption = policyv1alpha1.PreemptAlways
	for _, p := range []*policyv1alpha1.PropagationPolicy{low, high} {
		p.Spec.ResourceSelectors[0].Name = "web" // both pick web
	}
	require.NoError(t, cp.Create(ctx, low))
	require.NoError(t, cp.Create(ctx, high))

	boundTo := func(policy, cluster string) {
		t.Helper()
		rb := &workv1alpha2.ResourceBinding{}
		framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
			if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName("Deployment", "web")}, rb); err != nil {
				return false, err.Error()
			}
			got := rb.Annotations[names.PropagationPolicyNameAnnotation]
			return got == policy, fmt.Sprintf("bound to %q", got)
		})
		assert.Equal(t, int32(4), rb.Spec.Replicas)
		require.NotNil(t, rb.Spec.ReplicaRequirements)
		assert.Equal(t, "100m", rb.Spec.ReplicaRequirements.ResourceRequest.Cpu().String())
		assert.Equal(t, []string{cluster}, rb.Spec.Placement.ClusterAffinity.ClusterNames, "the placement of the policy it is bound to")
		assert.Contains(t, rb.Finalizers, names.BindingFinalizer, "born with its owner's finalizer")
	}
	boundTo("high", "m2")
	require.NoError(t, cp.Delete(ctx, high))
	boundTo("low", "m1")
}
