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
