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

package names

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBindingName(t *testing.T) {
	for _, tc := range []struct{ kind, name, want string }{
		{"Deployment", "nginx", "nginx-deployment"},
		{"Role", "system:controller:tom", "system.controller.tom-role"},
		{"ClusterRoleBinding", "system::tt:tom", "system..tt.tom-clusterrolebinding"},
	} {
		assert.Equal(t, tc.want, BindingName(tc.kind, tc.name))
	}
}

func TestWorkName(t *testing.T) {
	a := WorkName("Deployment", "nginx", "default")
	assert.Equal(t, a, WorkName("Deployment", "nginx", "default"), "stable")
	assert.Regexp(t, `^nginx-[bcdfghjklmnpqrstvwxz2456789]+$`, a)
	assert.NotEqual(t, a, WorkName("Deployment", "nginx", "other"), "the namespace counts")
	assert.NotEqual(t, a, WorkName("Service", "nginx", "default"), "the kind counts")
	assert.Equal(t, WorkName("deployment", "nginx", "DEFAULT"), a, "case does not count in the hash")
	// A cluster-scoped template hashes without a namespace part.
	assert.NotEqual(t, WorkName("Namespace", "demo", ""), WorkName("Namespace", "demo", "x"))
}

func TestExecutionSpace(t *testing.T) {
	assert.Equal(t, "karmada-es-member1", ExecutionSpace("member1"))
	assert.Equal(t, "member1", ClusterFromExecutionSpace("karmada-es-member1"))
	assert.Empty(t, ClusterFromExecutionSpace("default"))
}
