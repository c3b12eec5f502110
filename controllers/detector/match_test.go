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

package detector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"k8s.io/utils/ptr"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/selector"
)

func TestBestPolicy(t *testing.T) {
	spec := func(priority int32) *policyv1alpha1.PropagationSpec {
		return &policyv1alpha1.PropagationSpec{Priority: ptr.To(priority)}
	}
	pick := func(cands ...candidate) string { return best(cands).name }

	assert.Equal(t, "pp", pick(candidate{name: "cpp", spec: spec(100), precision: selector.ByName}, candidate{namespace: "demo", name: "pp", spec: spec(0), precision: selector.ByKind}),
		"a namespaced policy wins over a cluster one")
	assert.Equal(t, "high", pick(candidate{namespace: "demo", name: "low", spec: spec(1), precision: selector.ByName}, candidate{namespace: "demo", name: "high", spec: spec(2), precision: selector.ByKind}),
		"then the higher priority")
	assert.Equal(t, "named", pick(candidate{namespace: "demo", name: "kind", spec: spec(0), precision: selector.ByKind}, candidate{namespace: "demo", name: "named", spec: spec(0), precision: selector.ByName}),
		"then the more precise selector")
	assert.Equal(t, "a", pick(candidate{namespace: "demo", name: "b", spec: spec(0), precision: selector.ByLabel}, candidate{namespace: "demo", name: "a", spec: spec(0), precision: selector.ByLabel}),
		"then the name")
	assert.Nil(t, best(nil))
}

func TestPreemption(t *testing.T) {
	pp := func(name string, priority int32, preemption policyv1alpha1.PreemptionBehavior) candidate {
		return candidate{namespace: "demo", name: name, spec: &policyv1alpha1.PropagationSpec{Priority: ptr.To(priority), Preemption: preemption}, precision: selector.ByName}
	}
	cpp := func(name string, priority int32, preemption policyv1alpha1.PreemptionBehavior) candidate {
		c := pp(name, priority, preemption)
		c.namespace = ""
		return c
	}
	holds := func(name string) func(candidate) bool { return func(c candidate) bool { return c.name == name } }
	never, always := policyv1alpha1.PreemptNever, policyv1alpha1.PreemptAlways
	for _, tc := range []struct {
		why             string
		cands           []candidate
		held            string
		chosen, takenOf string
	}{
		{"unclaimed: the best", []candidate{pp("low", 1, never), pp("high", 5, never)}, "", "high", ""},
		{"claimed: a higher priority is not enough", []candidate{pp("low", 1, never), pp("high", 5, never)}, "low", "low", ""},
		{"claimed: Always with a higher priority takes it", []candidate{pp("low", 1, never), pp("high", 5, always)}, "low", "high", "low"},
		{"claimed: Always with the same priority does not", []candidate{pp("low", 5, never), pp("high", 5, always)}, "low", "low", ""},
		{"claimed: the best of those that may preempt", []candidate{pp("low", 1, never), pp("mid", 3, always), pp("top", 9, never)}, "low", "mid", "low"},
		{"a PropagationPolicy takes from a ClusterPropagationPolicy whatever the priorities", []candidate{cpp("c", 100, never), pp("p", 0, always)}, "c", "p", "c"},
		{"a ClusterPropagationPolicy never takes from a PropagationPolicy", []candidate{pp("p", 0, never), cpp("c", 100, always)}, "p", "p", ""},
		{"cluster policies preempt by priority", []candidate{cpp("c1", 1, never), cpp("c2", 2, always)}, "c1", "c2", "c1"},
		{"the holder no longer selects it: the best", []candidate{pp("other", 1, never)}, "gone", "other", ""},
	} {
		chosen, preempted := choose(tc.cands, holds(tc.held))
		assert.Equal(t, tc.chosen, chosen.name, tc.why)
		if tc.takenOf == "" {
			assert.Nil(t, preempted, tc.why)
		} else if assert.NotNil(t, preempted, tc.why) {
			assert.Equal(t, tc.takenOf, preempted.name, tc.why)
		}
	}
}
