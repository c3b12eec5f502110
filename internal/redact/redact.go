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

// Package redact keeps key material out of what the commands print: a
// dry run shows which Secrets would be written and their keys, never the
// private keys, tokens and kubeconfigs in them.
package redact

import (
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/printers"
)

// Printer wraps p so every Secret it prints has its values replaced.
func Printer(p printers.ResourcePrinter) printers.ResourcePrinter {
	return printers.ResourcePrinterFunc(func(obj runtime.Object, w io.Writer) error {
		return p.PrintObj(Object(obj), w)
	})
}

// Object returns obj with a Secret's values replaced by a note of their
// size; other objects are returned as they are.
func Object(obj runtime.Object) runtime.Object {
	switch o := obj.(type) {
	case *corev1.Secret:
		out := o.DeepCopy()
		for k, v := range out.Data {
			out.Data[k] = []byte(note(len(v)))
		}
		for k, v := range out.StringData {
			out.StringData[k] = note(len(v))
		}
		return out
	case *unstructured.Unstructured:
		if o.GetKind() != "Secret" || o.GroupVersionKind().Group != "" {
			return obj
		}
		out := o.DeepCopy()
		for _, field := range []string{"data", "stringData"} {
			values, _, _ := unstructured.NestedStringMap(out.Object, field)
			for k, v := range values {
				values[k] = note(len(v))
			}
			if values != nil {
				_ = unstructured.SetNestedStringMap(out.Object, values, field)
			}
		}
		return out
	}
	return obj
}

func note(n int) string { return fmt.Sprintf("REDACTED (%d bytes)", n) }
