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

package binding

import (
	"testing"

	"github.com/stretchr/testify/assert"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestIsNews(t *testing.T) {
	pending := []workv1alpha2.AggregatedStatusItem{{ClusterName: "m1"}, {ClusterName: "m2"}}
	applied := []workv1alpha2.AggregatedStatusItem{{ClusterName: "m1", Applied: true}, {ClusterName: "m2", Applied: true}}
	failed := []workv1alpha2.AggregatedStatusItem{{ClusterName: "m1", Applied: true}, {ClusterName: "m2", AppliedMessage: "conflict"}}
	otherFailure := []workv1alpha2.AggregatedStatusItem{{ClusterName: "m1", Applied: true}, {ClusterName: "m2", AppliedMessage: "unreachable"}}

	for _, c := range []struct {
		name          string
		before, after []workv1alpha2.AggregatedStatusItem
		settled, want bool
	}{
		{"members applying is progress", nil, pending, false, false},
		{"an apply that went well is progress", pending, applied, false, false},
		{"the settled state is news", applied, applied, true, true},
		{"a failure is news", applied, failed, false, true},
		{"another failure is news", failed, otherFailure, false, true},
		{"the end of a failure is news", failed, applied, false, true},
		{"a failure that stays is not news again", failed, failed, false, false},
	} {
		assert.Equal(t, c.want, isNews(c.before, c.after, c.settled), c.name)
	}
}
