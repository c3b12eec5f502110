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

// Package target resolves a command's "KIND/NAME" argument against the
// control plane's API, as kubectl does: short names, plurals and
// kind.group all work.
package target

import (
	"context"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Target is one object of the control plane.
type Target struct {
	GVK schema.GroupVersionKind
	// Namespace is empty for cluster-scoped kinds.
	Namespace string
	Name      string
}

// Namespaced reports whether the kind lives in a namespace.
func (t Target) Namespaced() bool { return t.Namespace != "" }

// String is "kind/name", as kubectl prints it.
func (t Target) String() string { return strings.ToLower(t.GVK.Kind) + "/" + t.Name }

// Resolve parses arg ("deployment/nginx", "deploy/nginx",
// "clusterroles.rbac.authorization.k8s.io/view") with the control plane's
// discovery; namespace applies when the kind is namespaced.
func Resolve(flags *genericclioptions.ConfigFlags, arg, namespace string) (Target, error) {
	kind, name, ok := strings.Cut(arg, "/")
	if !ok || kind == "" || name == "" {
		return Target{}, fmt.Errorf("%q is not KIND/NAME, such as deployment/nginx", arg)
	}
	mapper, err := flags.ToRESTMapper()
	if err != nil {
		return Target{}, err
	}
	gvr, err := mapper.ResourceFor(schema.ParseGroupResource(kind).WithVersion(""))
	if err != nil {
		return Target{}, fmt.Errorf("the control plane has no kind %q: %w", kind, err)
	}
	gvk, err := mapper.KindFor(gvr)
	if err != nil {
		return Target{}, err
	}
	mapping, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return Target{}, err
	}
	t := Target{GVK: gvk, Name: name}
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		t.Namespace = namespace
	}
	return t, nil
}

// Get reads the object.
func (t Target) Get(ctx context.Context, c client.Reader) (*unstructured.Unstructured, error) {
	obj := &unstructured.Unstructured{}
	obj.SetGroupVersionKind(t.GVK)
	if err := c.Get(ctx, client.ObjectKey{Namespace: t.Namespace, Name: t.Name}, obj); err != nil {
		return nil, fmt.Errorf("reading %s: %w", t, err)
	}
	return obj, nil
}
