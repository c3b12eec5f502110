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

package manager

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestControllersFlag(t *testing.T) {
	for _, tc := range []struct {
		flag []string
		on   bool
	}{
		{[]string{"*"}, true},
		{[]string{"*", "-namespace"}, false},
		{[]string{"-namespace", "*"}, false},
		{[]string{"namespace"}, true},
		{nil, false},
	} {
		o := DefaultOptions()
		o.Controllers = tc.flag
		require.NoError(t, o.Validate())
		assert.Equal(t, tc.on, o.enabled("namespace"), "%v", tc.flag)
	}

	o := DefaultOptions()
	o.Controllers = []string{"*", "-namespaces"}
	require.ErrorContains(t, o.Validate(), `unknown controller "-namespaces" (may be turned on or off: namespace)`)
	o = DefaultOptions()
	o.SkippedPropagatingNamespaces = []string{"team-("}
	require.ErrorContains(t, o.Validate(), `skipped namespace expression "team-("`)
}
