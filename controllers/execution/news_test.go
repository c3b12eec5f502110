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

package execution

import (
	"testing"

	"github.com/stretchr/testify/assert"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestIsNews(t *testing.T) {
	ok := []metav1.Condition{applied(metav1.ConditionTrue, reasonApplied, "applied")}
	failed := []metav1.Condition{applied(metav1.ConditionFalse, reasonApplyFailed, "member unreachable")}
	conflict := []metav1.Condition{applied(metav1.ConditionFalse, reasonConflict, "not ours")}

	for _, c := range []struct {
		name          string
		before, after []metav1.Condition
		settled, want bool
	}{
		{"the first apply that went well is progress", nil, ok, false, false},
		{"healthy objects are news", ok, ok, true, true},
		{"a failed apply is news", ok, failed, false, true},
		{"a first apply that failed is news", nil, conflict, false, true},
		{"another failure is news", failed, conflict, false, true},
		{"the end of a failure is news", failed, ok, false, true},
		{"a failure that stays is not news again", failed, failed, false, false},
	} {
		assert.Equal(t, c.want, isNews(c.before, c.after, c.settled), c.name)
	}
}
