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
