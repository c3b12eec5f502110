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

package redact

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/cli-runtime/pkg/printers"
)

func TestPrinterHidesSecretValues(t *testing.T) {
	key := "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"
	secret := &corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{Name: "karmada-pki"},
		Data:       map[string][]byte{"ca.key": []byte(key)},
		StringData: map[string]string{"token": "abc.def"},
	}
	loose := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": "s"}, "data": map[string]any{"token": "c2VjcmV0"}}}
	var out bytes.Buffer
	p := Printer(&printers.YAMLPrinter{})
	require.NoError(t, p.PrintObj(secret, &out))
	require.NoError(t, p.PrintObj(loose, &out))
	assert.NotContains(t, out.String(), "abc.def")
	assert.NotContains(t, out.String(), "c2VjcmV0")
	assert.NotContains(t, out.String(), "LS0tLS1CRUdJTi") // base64 of the key
	assert.Contains(t, out.String(), "ca.key")
	assert.Equal(t, key, string(secret.Data["ca.key"]), "the caller's object is left alone")
}
