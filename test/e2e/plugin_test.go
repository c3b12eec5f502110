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

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKubectlFindsThePlugin builds kubectl-karmada with the version stamped
// as the Makefile does, puts it on PATH and runs it through kubectl.
func TestKubectlFindsThePlugin(t *testing.T) {
	dir := t.TempDir()
	pkg := "github.com/kubectl-karmada/kubectl-karmada/internal/version"
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(dir, "kubectl-karmada"),
		"-ldflags", "-X "+pkg+".version=v0.0.0-e2e -X "+pkg+".gitCommit=0123abc -X "+pkg+".buildDate=2026-11-23T00:00:00Z",
		"github.com/kubectl-karmada/kubectl-karmada/cmd/kubectl-karmada")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	kubectl := func(args ...string) []byte {
		cmd := exec.CommandContext(t.Context(), filepath.Join(env.BinDir, "kubectl"), args...)
		cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"), "KUBECONFIG="+controlPlane.Kubeconfig)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		return out
	}

	var info map[string]string
	require.NoError(t, json.Unmarshal(kubectl("karmada", "version", "-o", "json"), &info))
	assert.Equal(t, "v0.0.0-e2e", info["version"])
	assert.Equal(t, "0123abc", info["gitCommit"])
	assert.Equal(t, "2026-11-23T00:00:00Z", info["buildDate"])

	help := string(kubectl("karmada", "--help"))
	assert.Contains(t, help, "kubectl karmada [command]")
	assert.Contains(t, help, "Other Commands:")
	assert.Contains(t, help, "--kubeconfig")
	assert.Contains(t, help, "--context")
}
