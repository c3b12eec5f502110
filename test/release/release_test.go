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

// Package release checks what "make release" built, with the real tools a
// user installs with: the archives of every platform and their checksums,
// the krew manifest (krew's own validate-krew-manifest), an install and an
// uninstall with krew v0.4.3 into a throw-away KREW_ROOT, the plugin run
// through kubectl, and completion through the helper. "make test" builds
// the release and the tools first and passes where they are; without them
// the package says so and checks nothing.
package release

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

var (
	dist         = os.Getenv("KARMADA_DIST")
	krew         = os.Getenv("KARMADA_KREW")
	validateKrew = os.Getenv("KARMADA_VALIDATE_KREW")
	localBin     = os.Getenv("KARMADA_LOCAL_BIN")
	platforms    = []string{"darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64", "windows_arm64"}
	manifestPath string
)

func TestMain(m *testing.M) {
	if dist == "" || krew == "" || validateKrew == "" || localBin == "" {
		fmt.Println("release: nothing checked: KARMADA_DIST, KARMADA_KREW, KARMADA_VALIDATE_KREW and KARMADA_LOCAL_BIN are not set (make test sets them)")
		os.Exit(0)
	}
	manifestPath = filepath.Join(dist, "krew", "karmada.yaml")
	os.Exit(m.Run())
}

// manifest is the part of a krew manifest the tests read.
type manifest struct {
	Spec struct {
		Version   string `json:"version"`
		Platforms []struct {
			Selector struct {
				MatchLabels map[string]string `json:"matchLabels"`
			} `json:"selector"`
			URI    string `json:"uri"`
			SHA256 string `json:"sha256"`
			Bin    string `json:"bin"`
			Files  []struct {
				From string `json:"from"`
				To   string `json:"to"`
			} `json:"files"`
		} `json:"platforms"`
	} `json:"spec"`
}

func readManifest(t *testing.T) manifest {
	t.Helper()
	return readManifestAt(t, manifestPath)
}

func readManifestAt(t *testing.T, path string) manifest {
	t.Helper()
	data, err := os.ReadFile(path) //nolint:gosec // a manifest of this repository

	require.NoError(t, err)
	var m manifest
	require.NoError(t, yaml.Unmarshal(data, &m))
	return m
}

func archiveName(platform string) string {
	if strings.HasPrefix(platform, "windows") {
		return "kubectl-karmada_" + platform + ".zip"
	}
	return "kubectl-karmada_" + platform + ".tar.gz"
}

// TestArchivesMatchManifest: one archive per platform, holding exactly the
// files the manifest names, with the sha256 both checksums.txt and the
// manifest give.
func TestArchivesMatchManifest(t *testing.T) {
	sums := map[string]string{}
	f, err := os.Open(filepath.Join(dist, "checksums.txt"))
	require.NoError(t, err)
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fields := strings.Fields(s.Text()); len(fields) == 2 {
			sums[fields[1]] = fields[0]
		}
	}
	m := readManifest(t)
	require.Len(t, m.Spec.Platforms, len(platforms))
	for _, p := range m.Spec.Platforms {
		platform := p.Selector.MatchLabels["os"] + "_" + p.Selector.MatchLabels["arch"]
		name := archiveName(platform)
		t.Run(platform, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dist, name))
			require.NoError(t, err)
			sum := sha256.Sum256(data)
			assert.Equal(t, hex.EncodeToString(sum[:]), sums[name], "checksums.txt")
			assert.Equal(t, hex.EncodeToString(sum[:]), p.SHA256, "manifest")
			assert.True(t, strings.HasSuffix(p.URI, "/"+m.Spec.Version+"/"+name), "uri %s", p.URI)

			var want []string
			for _, file := range p.Files {
				want = append(want, file.From)
			}
			sort.Strings(want)
			assert.Equal(t, want, archiveFiles(t, name, data))
			assert.Contains(t, want, p.Bin)
		})
	}
	assert.Len(t, sums, len(platforms), "checksums.txt names only the archives")
}

func archiveFiles(t *testing.T, name string, data []byte) []string {
	t.Helper()
	var files []string
	if strings.HasSuffix(name, ".zip") {
		r, err := zip.NewReader(strings.NewReader(string(data)), int64(len(data)))
		require.NoError(t, err)
		for _, f := range r.File {
			files = append(files, f.Name)
		}
	} else {
		gz, err := gzip.NewReader(strings.NewReader(string(data)))
		require.NoError(t, err)
		tr := tar.NewReader(gz)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			files = append(files, h.Name)
		}
	}
	sort.Strings(files)
	return files
}

// TestManifestValidates with krew's own validator (installing from the
// release URL is skipped: nothing may be downloaded here; the install
// below uses the local archive).
func TestManifestValidates(t *testing.T) {
	out, err := exec.Command(validateKrew, "-manifest", manifestPath, "-skip-install").CombinedOutput()
	require.NoError(t, err, string(out))
}

// TestCommittedManifest: the manifest of the last release (krew/karmada.yaml,
// and the same file in the index layout) passes krew's validator and is
// exactly what krew/main.go writes from the template for its version and
// sha256s, so it was generated, not edited by hand. Its archives are the
// release tag's "make release": the build stamps the commit's time, not the
// clock's, so a rebuild of the tag gives the same sha256s.
func TestCommittedManifest(t *testing.T) {
	committed := filepath.Join("..", "..", "krew", "karmada.yaml")
	if _, err := os.Stat(committed); os.IsNotExist(err) {
		t.Skip("no release manifest is committed yet (krew/karmada.yaml)")
	}
	out, err := exec.Command(validateKrew, "-manifest", committed, "-skip-install").CombinedOutput()
	require.NoError(t, err, string(out))

	m := readManifestAt(t, committed)
	var sums strings.Builder
	for _, p := range m.Spec.Platforms {
		name := archiveName(p.Selector.MatchLabels["os"] + "_" + p.Selector.MatchLabels["arch"])
		fmt.Fprintf(&sums, "%s  %s\n", p.SHA256, name)
	}
	checksums := filepath.Join(t.TempDir(), "checksums.txt")
	require.NoError(t, os.WriteFile(checksums, []byte(sums.String()), 0o600))
	rendered := filepath.Join(t.TempDir(), "karmada.yaml")
	cmd := exec.Command("go", "run", "./krew", "-version", m.Spec.Version, "-checksums", checksums, "-o", rendered)
	cmd.Dir = filepath.Join("..", "..")
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, string(out))

	want, err := os.ReadFile(rendered) //nolint:gosec // written above
	require.NoError(t, err)
	got, err := os.ReadFile(committed) //nolint:gosec // a file of this repository
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "krew/karmada.yaml is generated by make release on a tag")
	index, err := os.ReadFile(filepath.Join("..", "..", "krew", "index", "plugins", "karmada.yaml"))
	require.NoError(t, err)
	assert.Equal(t, string(got), string(index), "the index serves the same manifest")
}

// TestKrewInstallRunUninstall installs the linux/amd64 archive with krew
// into a throw-away KREW_ROOT, runs "kubectl karmada version" through
// kubectl, and uninstalls it.
func TestKrewInstallRunUninstall(t *testing.T) {
	root := t.TempDir()
	env := append(os.Environ(), "KREW_ROOT="+root,
		"PATH="+filepath.Join(root, "bin")+string(os.PathListSeparator)+localBin+string(os.PathListSeparator)+"/usr/bin:/bin",
		"HOME="+t.TempDir())
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s %s: %s", name, strings.Join(args, " "), out)
		return string(out)
	}
	// krew's commands other than install want an index; an empty local
	// one stands in for "krew update", which would go to the network.
	run("git", "init", "-q", filepath.Join(root, "index", "default"))
	run(krew, "install", "--manifest="+manifestPath, "--archive="+filepath.Join(dist, archiveName("linux_amd64")))
	link := filepath.Join(root, "bin", "kubectl-karmada")
	require.FileExists(t, link)

	version := readManifest(t).Spec.Version
	out := run(filepath.Join(localBin, "kubectl"), "karmada", "version")
	assert.Contains(t, out, "kubectl-karmada "+version, "the plugin names itself and the stamped version")
	out = run(filepath.Join(localBin, "kubectl"), "karmada", "version", "-o", "json")
	var info map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &info))
	assert.Equal(t, version, info["version"])
	assert.Len(t, info["gitCommit"], 40)
	assert.NotEqual(t, "unknown", info["buildDate"])

	// The completion helper ships beside the plugin and answers in cobra's
	// protocol.
	store, err := filepath.EvalSymlinks(link)
	require.NoError(t, err)
	helper := filepath.Join(filepath.Dir(store), "kubectl_complete-karmada")
	out = run(helper, "__complete", "")
	for _, sub := range []string{"init", "join", "propagate", "get", "version"} {
		assert.Contains(t, out, "\n"+sub+"\t", "completion lists %s", sub)
	}
	out = run(helper, "__complete", "get", "")
	assert.Contains(t, out, "clusters")

	run(krew, "uninstall", "karmada")
	assert.NoFileExists(t, link)
}
