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

package overrides

import (
	"strings"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
)

// ChangeImage applies an image overrider to one image reference, such as
// "registry.example.com:5000/team/app:v1" or "nginx@sha256:...".
func ChangeImage(image string, o policyv1alpha1.ImageOverrider) string {
	registry, repository, tag, digest := splitImage(image)
	edit := func(cur string) string {
		switch o.Operator {
		case policyv1alpha1.OverriderOpAdd:
			return cur + o.Value
		case policyv1alpha1.OverriderOpRemove:
			return ""
		default:
			return o.Value
		}
	}
	switch o.Component {
	case policyv1alpha1.Registry:
		registry = edit(registry)
	case policyv1alpha1.Repository:
		repository = edit(repository)
	case policyv1alpha1.Tag:
		tag, digest = edit(tag), ""
	}
	out := repository
	if registry != "" {
		out = registry + "/" + repository
	}
	if tag != "" {
		out += ":" + tag
	}
	if digest != "" {
		out += "@" + digest
	}
	return out
}

// splitImage splits an image reference. The first path part is a registry
// only when it looks like a host (has a dot or a port, or is localhost).
func splitImage(image string) (registry, repository, tag, digest string) {
	rest := image
	if i := strings.Index(rest, "@"); i >= 0 {
		rest, digest = rest[:i], rest[i+1:]
	}
	if i := strings.LastIndex(rest, ":"); i > strings.LastIndex(rest, "/") {
		rest, tag = rest[:i], rest[i+1:]
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			registry, rest = first, rest[i+1:]
		}
	}
	return registry, rest, tag, digest
}
