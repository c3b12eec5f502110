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

// Command krew writes the krew manifest of a release from the template
// beside it and the archives' checksums.txt (goreleaser's):
//
//	go run ./krew -metadata dist/metadata.json -checksums dist/checksums.txt -o dist/krew/karmada.yaml
//	go run ./krew -version v0.1.0 -checksums dist/checksums.txt -o krew/karmada.yaml
//
// Every platform the checksums name gets its uri (the GitHub release
// download of that version), sha256, files and bin.
package main

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"text/template"
)

//go:embed karmada.yaml.tmpl
var manifestTemplate string

// releaseURL is where a release's archives are downloaded from.
const releaseURL = "https://github.com/kubectl-karmada/kubectl-karmada/releases/download"

// Platform is one archive of the release.
type Platform struct {
	OS, Arch, URI, SHA256, Ext string
}

// archiveName matches goreleaser's name_template (.goreleaser.yaml).
var archiveName = regexp.MustCompile(`^kubectl-karmada_(linux|darwin|windows)_(amd64|arm64)\.(tar\.gz|zip)$`)

func main() {
	version := flag.String("version", "", "release version, such as v0.1.0 (default: the one in -metadata)")
	metadata := flag.String("metadata", "", "goreleaser's metadata.json, for the version")
	checksums := flag.String("checksums", "dist/checksums.txt", "goreleaser's checksums.txt")
	out := flag.String("o", "", "where to write the manifest (default: stdout)")
	flag.Parse()
	if *version == "" && *metadata != "" {
		v, err := readVersion(*metadata)
		if err != nil {
			fmt.Fprintln(os.Stderr, "krew:", err)
			os.Exit(1)
		}
		*version = v
	}
	if err := run(*version, *checksums, *out); err != nil {
		fmt.Fprintln(os.Stderr, "krew:", err)
		os.Exit(1)
	}
}

func run(version, checksums, out string) error {
	if !strings.HasPrefix(version, "v") {
		return fmt.Errorf("-version must be a v-prefixed semantic version, not %q", version)
	}
	platforms, err := readChecksums(checksums, version)
	if err != nil {
		return err
	}
	tmpl, err := template.New("manifest").Parse(manifestTemplate)
	if err != nil {
		return err
	}
	w := os.Stdout
	if out != "" {
		f, err := os.Create(out) //nolint:gosec // the path the maintainer asked for
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		w = f
	}
	return tmpl.Execute(w, struct {
		Version   string
		Platforms []Platform
	}{version, platforms})
}

// readVersion is the version goreleaser stamped into the binaries, with
// its v.
func readVersion(path string) (string, error) {
	data, err := os.ReadFile(path) //nolint:gosec // goreleaser's output, named on the command line
	if err != nil {
		return "", err
	}
	var meta struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if meta.Version == "" {
		return "", fmt.Errorf("%s names no version", path)
	}
	return "v" + strings.TrimPrefix(meta.Version, "v"), nil
}

// readChecksums turns "SHA256  NAME" lines into platforms, sorted by OS
// and architecture; it fails unless all six are there.
func readChecksums(path, version string) ([]Platform, error) {
	f, err := os.Open(path) //nolint:gosec // goreleaser's output, named on the command line
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var platforms []Platform
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) != 2 {
			continue
		}
		m := archiveName.FindStringSubmatch(fields[1])
		if m == nil {
			continue
		}
		p := Platform{OS: m[1], Arch: m[2], SHA256: fields[0], URI: releaseURL + "/" + version + "/" + fields[1]}
		if p.OS == "windows" {
			p.Ext = ".exe"
		}
		platforms = append(platforms, p)
	}
	if err := s.Err(); err != nil {
		return nil, err
	}
	if len(platforms) != 6 {
		return nil, fmt.Errorf("%s names %d archives; want linux, darwin and windows on amd64 and arm64", path, len(platforms))
	}
	sort.Slice(platforms, func(i, j int) bool {
		return platforms[i].OS+platforms[i].Arch < platforms[j].OS+platforms[j].Arch
	})
	return platforms, nil
}
