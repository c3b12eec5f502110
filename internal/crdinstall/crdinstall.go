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

// Package crdinstall puts CustomResourceDefinitions into an API server and
// waits until the server serves them. init uses it for the control plane,
// join for the MCS CRDs of members, and the local clusters for tests.
package crdinstall

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/rest"
)

// FieldManager owns the fields we apply.
const FieldManager = "kubectl-karmada"

// Apply server-side applies each CRD and waits until all are Established.
// It returns the names of the CRDs it created or changed: applying the same
// CRDs again changes nothing and returns none.
func Apply(ctx context.Context, cfg *rest.Config, crds []*apiextensionsv1.CustomResourceDefinition, timeout time.Duration) ([]string, error) {
	client, err := apiextensionsclient.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	api := client.ApiextensionsV1().CustomResourceDefinitions()
	var changed []string
	for _, crd := range crds {
		before := ""
		if old, err := api.Get(ctx, crd.Name, metav1.GetOptions{}); err == nil {
			before = old.ResourceVersion
		}
		obj := crd.DeepCopy()
		obj.APIVersion, obj.Kind = apiextensionsv1.SchemeGroupVersion.String(), "CustomResourceDefinition"
		data, err := json.Marshal(obj)
		if err != nil {
			return nil, err
		}
		force := true
		after, err := api.Patch(ctx, obj.Name, types.ApplyPatchType, data, metav1.PatchOptions{FieldManager: FieldManager, Force: &force})
		if err != nil {
			return nil, fmt.Errorf("applying CRD %s: %w", obj.Name, err)
		}
		if after.ResourceVersion != before {
			changed = append(changed, obj.Name)
		}
	}

	var waiting []string
	err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		waiting = waiting[:0]
		for _, crd := range crds {
			got, err := api.Get(ctx, crd.Name, metav1.GetOptions{})
			if err != nil || !established(got) {
				waiting = append(waiting, crd.Name)
			}
		}
		return len(waiting) == 0, nil
	})
	if err != nil {
		return nil, fmt.Errorf("CRDs not established after %s: %s", timeout, strings.Join(waiting, ", "))
	}
	return changed, nil
}

func established(crd *apiextensionsv1.CustomResourceDefinition) bool {
	for _, c := range crd.Status.Conditions {
		if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
			return true
		}
	}
	return false
}
