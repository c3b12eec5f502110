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

package memberaccess

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The role names every resource it grants: no wildcard, no Secrets
// cluster-wide, no escalate, impersonate or bind beyond its Secrets role.
// (The e2e suite tries the escalation paths against a real API server.)
func TestRoleHasNoWildcards(t *testing.T) {
	for _, r := range Role("m1", nil).Rules {
		for _, list := range [][]string{r.APIGroups, r.Resources, r.Verbs} {
			assert.NotContains(t, list, "*", "%+v", r)
		}
		assert.NotContains(t, r.Resources, "secrets")
		assert.NotContains(t, r.Verbs, "escalate")
		assert.NotContains(t, r.Verbs, "impersonate")
		if slices.Contains(r.Verbs, "bind") {
			assert.Equal(t, []string{SecretsRoleName("m1")}, r.ResourceNames)
		}
	}
}

func TestParseGrant(t *testing.T) {
	g, err := ParseGrant("rbac.authorization.k8s.io/roles")
	require.NoError(t, err)
	assert.Equal(t, Grant{Group: "rbac.authorization.k8s.io", Resource: "roles"}, g)
	assert.Contains(t, g.Warning(), "cluster-admin")
	g, err = ParseGrant("persistentvolumes")
	require.NoError(t, err)
	assert.Equal(t, Grant{Resource: "persistentvolumes"}, g)
	for _, bad := range []string{"*/*", "apps/*", "", "apps/", "a/b/c"} {
		_, err := ParseGrant(bad)
		require.Error(t, err, bad)
	}
	role := Role("m1", []Grant{{Group: "rbac.authorization.k8s.io", Resource: "roles"}})
	assert.Contains(t, role.Rules[len(role.Rules)-1].Verbs, "escalate", "a propagated Role may hold rights the identity lacks")
}
