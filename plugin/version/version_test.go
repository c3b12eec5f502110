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

package version

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-karmada/kubectl-karmada/internal/version"
)

func TestVersionOutputs(t *testing.T) {
	for _, output := range []string{"", "json", "yaml"} {
		t.Run("output="+output, func(t *testing.T) {
			streams, _, out, _ := genericiooptions.NewTestIOStreams()
			cmd := NewCmdVersion("kubectl karmada", streams)
			cmd.SetArgs([]string{"-o", output})
			require.NoError(t, cmd.Execute())

			want := version.Get()
			var got version.Info
			switch output {
			case "json":
				require.NoError(t, json.Unmarshal(out.Bytes(), &got))
				assert.Equal(t, want, got)
			case "yaml":
				require.NoError(t, yaml.UnmarshalStrict(out.Bytes(), &got))
				assert.Equal(t, want, got)
			default:
				assert.Contains(t, out.String(), "kubectl-karmada "+want.Version)
				assert.Contains(t, out.String(), want.Platform)
			}
		})
	}
}

func TestVersionRejectsUnknownOutput(t *testing.T) {
	streams, _, out, _ := genericiooptions.NewTestIOStreams()
	cmd := NewCmdVersion("kubectl karmada", streams)
	cmd.SetArgs([]string{"-o", "wide"})
	err := cmd.Execute()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `--output must be json or yaml, not "wide"`)
	assert.Empty(t, out.String())
}
