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

package get

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/internal/servicesummary"
)

// servicesView shows the exported services of the clusterset, read from
// the members.
type servicesView struct{}

func (servicesView) list(ctx context.Context, c client.Client, namespace, name string) (runtime.Object, error) {
	services, err := servicesummary.Collect(ctx, c, namespace)
	if err != nil && len(services) == 0 {
		return nil, err
	}
	out := &corev1.List{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "List"}}
	for _, s := range services {
		if name != "" && s.Name != name {
			continue
		}
		raw, jerr := json.Marshal(s)
		if jerr != nil {
			return nil, jerr
		}
		out.Items = append(out.Items, runtime.RawExtension{Raw: raw})
	}
	if name != "" && len(out.Items) == 0 {
		return nil, fmt.Errorf("no member exports a service %q in namespace %q", name, namespace)
	}
	return out, err
}

func (servicesView) table(w io.Writer, obj runtime.Object, wide, withNamespace bool) error {
	head := []string{"NAME", "TYPE", "EXPORTED BY", "IMPORTED BY", "ENDPOINTS", "CONFLICT"}
	if withNamespace {
		head = append([]string{"NAMESPACE"}, head...)
	}
	if wide {
		head = append(head, "IPS")
	}
	row(w, head...)
	for _, item := range obj.(*corev1.List).Items {
		var s servicesummary.Service
		if err := json.Unmarshal(item.Raw, &s); err != nil {
			return err
		}
		var exporters, importers, ips []string
		for _, e := range s.Exporters {
			if strings.HasPrefix(e.Valid, "True/") {
				exporters = append(exporters, e.Cluster)
			} else {
				exporters = append(exporters, fmt.Sprintf("%s(%s)", e.Cluster, orDash(strings.TrimPrefix(e.Valid, "False/"))))
			}
		}
		endpoints := ""
		for _, i := range s.Importers {
			importers = append(importers, i.Cluster)
			ips = append(ips, i.Cluster+"="+orDash(strings.Join(i.IPs, "/")))
			if e := i.EndpointsString(); len(e) > len(endpoints) {
				endpoints = e
			}
		}
		cells := []string{s.Name, orDash(s.Type), orDash(strings.Join(exporters, ",")), orDash(strings.Join(importers, ",")),
			orDash(endpoints), orDash(s.Conflicts())}
		if withNamespace {
			cells = append([]string{s.Namespace}, cells...)
		}
		if wide {
			cells = append(cells, orDash(strings.Join(ips, ",")))
		}
		row(w, cells...)
	}
	return nil
}
