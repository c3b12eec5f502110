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

// Package version reports what build of kubectl-karmada is running. The
// variables are stamped at link time by the Makefile with
// -ldflags "-X github.com/kubectl-karmada/kubectl-karmada/internal/version.version=...".
package version

import (
	"runtime"
	"runtime/debug"
)

var (
	version   string
	gitCommit string
	buildDate string
)

// Info is the build information, shaped for JSON and YAML output.
type Info struct {
	Version   string `json:"version"`
	GitCommit string `json:"gitCommit"`
	BuildDate string `json:"buildDate"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// Get returns the build information; any part not stamped at link time
// reads "unknown", except the version, which falls back to the module
// version Go recorded (so "go install ...@vX" still says vX).
func Get() Info {
	return Info{
		Version:   orUnknown(version, moduleVersion()),
		GitCommit: orUnknown(gitCommit),
		BuildDate: orUnknown(buildDate),
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
}

func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ""
}

func orUnknown(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return "unknown"
}
