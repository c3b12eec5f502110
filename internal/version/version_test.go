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
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGetUsesStampedValues(t *testing.T) {
	old := [3]string{version, gitCommit, buildDate}
	t.Cleanup(func() { version, gitCommit, buildDate = old[0], old[1], old[2] })

	version, gitCommit, buildDate = "v1.2.3", "abc123", "2026-01-02T03:04:05Z"
	info := Get()
	assert.Equal(t, "v1.2.3", info.Version)
	assert.Equal(t, "abc123", info.GitCommit)
	assert.Equal(t, "2026-01-02T03:04:05Z", info.BuildDate)

	version, gitCommit, buildDate = "", "", ""
	info = Get()
	// Tests run from a module in development, so nothing is recorded.
	assert.Equal(t, "unknown", info.Version)
	assert.Equal(t, "unknown", info.GitCommit)
	assert.Equal(t, "unknown", info.BuildDate)
	assert.NotEmpty(t, info.GoVersion)
}
