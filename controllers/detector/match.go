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
	"fmt"
	"sort"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/selector"
)

// candidate is a policy that matches a template.
type candidate struct {
	// namespace is "" for a ClusterPropagationPolicy.
	namespace, name string
	spec            *policyv1alpha1.PropagationSpec
	permanentID     string
	precision       selector.Precision
}

func (c candidate) priority() int32 {
	if c.spec.Priority == nil {
		return 0
	}
	return *c.spec.Priority
}

// best picks the policy for a template: a PropagationPolicy over a
// ClusterPropagationPolicy, then the higher priority, then the more precise
// selector, then the name in alphabetical order. Nil when none matches.
func best(cands []candidate) *candidate {
	if len(cands) == 0 {
		return nil
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if (a.namespace != "") != (b.namespace != "") {
			return a.namespace != ""
		}
		if a.priority() != b.priority() {
			return a.priority() > b.priority()
		}
		if a.precision != b.precision {
			return a.precision > b.precision
		}
		return a.name < b.name
	})
	return &cands[0]
}

// preempts reports whether c may take a template that held claimed, as
// Karmada's preemption decides: only with preemption Always; a
// PropagationPolicy takes from any ClusterPropagationPolicy, otherwise the
// two are of one kind and c's explicit priority is higher. A
// ClusterPropagationPolicy never takes from a PropagationPolicy.
func (c candidate) preempts(held candidate) bool {
	if c.spec.Preemption != policyv1alpha1.PreemptAlways {
		return false
	}
	switch pp, heldPP := c.namespace != "", held.namespace != ""; {
	case pp && !heldPP:
		return true
	case pp != heldPP:
		return false
	}
	return c.priority() > held.priority()
}

// describe names a policy as Karmada's events do.
func (c candidate) describe() string {
	if c.namespace == "" {
		return fmt.Sprintf("cluster propagation policy(%s)", c.name)
	}
	return fmt.Sprintf("propagation policy(%s/%s)", c.namespace, c.name)
}

// choose picks the policy for a template. A template no policy holds (or
// whose policy no longer selects it) gets the best; a held one stays with
// its policy unless another may preempt it, and then goes to the best of
// those. preempted is the policy it was taken from.
func choose(cands []candidate, held func(candidate) bool) (chosen, preempted *candidate) {
	var current *candidate
	for i := range cands {
		if held(cands[i]) {
			current = &cands[i]
		}
	}
	if current == nil {
		return best(cands), nil
	}
	var takers []candidate
	for _, c := range cands {
		if c.preempts(*current) {
			takers = append(takers, c)
		}
	}
	if len(takers) == 0 {
		return current, nil
	}
	return best(takers), current
}
