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

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ociConfig = `{"ociVersion":"1.0.2","process":{"args":["/sbin/init"],"capabilities":{
"bounding":["CAP_CHOWN","CAP_SYS_RESOURCE","CAP_SYS_ADMIN"],
"effective":["CAP_CHOWN","CAP_SYS_RESOURCE"],
"permitted":["CAP_SYS_RESOURCE"]}},"root":{"path":"rootfs"}}`

func capsOf(t *testing.T, path string, process bool) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	if !process {
		doc = doc["process"].(map[string]any)
	}
	out := map[string][]string{}
	for set, list := range doc["capabilities"].(map[string]any) {
		out[set] = []string{}
		for _, c := range list.([]any) {
			out[set] = append(out[set], c.(string))
		}
	}
	return out
}

func TestRewriteDropsOnlyMissingCaps(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	require.NoError(t, os.WriteFile(config, []byte(ociConfig), 0o600))
	missing := map[string]bool{"CAP_SYS_RESOURCE": true}

	// Global flags come first and take values; the command is found after them.
	args := []string{"--root", "/run/runc", "--log", "/tmp/log.json", "--log-format", "json", "create", "--bundle", dir, "--pid-file", "p", "id"}
	require.NoError(t, filterWith(args, missing))
	assert.Equal(t, map[string][]string{
		"bounding":  {"CAP_CHOWN", "CAP_SYS_ADMIN"},
		"effective": {"CAP_CHOWN"},
		"permitted": {},
	}, capsOf(t, config, false))

	// The rest of the document is kept.
	data, err := os.ReadFile(config)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"root":{"path":"rootfs"}`)
}

func TestRewriteExecProcessFile(t *testing.T) {
	dir := t.TempDir()
	process := filepath.Join(dir, "process.json")
	require.NoError(t, os.WriteFile(process, []byte(`{"args":["sh"],"capabilities":{"bounding":["CAP_SYS_RESOURCE","CAP_KILL"]}}`), 0o600))
	require.NoError(t, filterWith([]string{"--root", "/r", "exec", "--process=" + process, "id"}, map[string]bool{"CAP_SYS_RESOURCE": true}))
	assert.Equal(t, map[string][]string{"bounding": {"CAP_KILL"}}, capsOf(t, process, true))
}

func TestOtherCommandsAreUntouched(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	require.NoError(t, os.WriteFile(config, []byte(ociConfig), 0o600))
	// delete and state name no OCI file; a bundle flag on them is ignored.
	require.NoError(t, filterWith([]string{"--root", "/r", "delete", "--force", "id"}, map[string]bool{"CAP_SYS_RESOURCE": true}))
	require.NoError(t, filterWith([]string{"state", "--bundle", dir}, map[string]bool{"CAP_SYS_RESOURCE": true}))
	data, err := os.ReadFile(config)
	require.NoError(t, err)
	assert.JSONEq(t, ociConfig, string(data))
}

func TestMissingCapsReadsThisProcess(t *testing.T) {
	missing, err := missingCaps()
	require.NoError(t, err)
	bnd, err := boundingSet()
	require.NoError(t, err)
	for i, name := range capNames {
		if bnd&(1<<uint(i)) != 0 {
			assert.False(t, missing[name], "%s is in the bounding set", name)
		}
	}
}
