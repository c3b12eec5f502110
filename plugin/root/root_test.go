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

package root

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestNotAControlPlane(t *testing.T) {
	missing := &meta.NoKindMatchError{GroupKind: schema.GroupKind{Group: "cluster.karmada.io", Kind: "Cluster"}, SearchedVersions: []string{"v1alpha1"}}
	err := notAControlPlane(fmt.Errorf("listing clusters: %w", missing))
	require.EqualError(t, err, `this is not a kubectl-karmada control plane (no cluster.karmada.io API): run "kubectl karmada init", or choose the control plane with --kubeconfig or --context`)

	other := &meta.NoKindMatchError{GroupKind: schema.GroupKind{Group: "example.com", Kind: "Widget"}}
	assert.Same(t, error(other), notAControlPlane(other), "another group's kind: as it was")
	plain := errors.New("connection refused")
	assert.Same(t, plain, notAControlPlane(plain))
	require.NoError(t, notAControlPlane(nil))
}
