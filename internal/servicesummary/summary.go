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

// Package servicesummary gathers, for people, the state of multi-cluster
// service discovery: for each exported service, who exports it and
// whether the export is valid or in conflict, who imports it with which
// IPs, and how many endpoints each importer got from each source cluster.
// It reads the members through the credentials joined clusters keep on
// the control plane, a few label-selected lists per member.
package servicesummary

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/mcs"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
)

// Service is one exported service across the clusterset.
type Service struct {
	Namespace string     `json:"namespace"`
	Name      string     `json:"name"`
	Type      string     `json:"type,omitempty"`
	Exporters []Exporter `json:"exporters"`
	Importers []Importer `json:"importers,omitempty"`
}

// Exporter is one cluster's ServiceExport.
type Exporter struct {
	Cluster string `json:"cluster"`
	// Valid, Ready and Conflict are the export's conditions as
	// "Status/Reason", empty when not set yet.
	Valid    string `json:"valid,omitempty"`
	Ready    string `json:"ready,omitempty"`
	Conflict string `json:"conflict,omitempty"`
	// ConflictMessage says who disagrees about what.
	ConflictMessage string `json:"conflictMessage,omitempty"`
}

// Importer is one cluster's ServiceImport.
type Importer struct {
	Cluster string   `json:"cluster"`
	IPs     []string `json:"ips,omitempty"`
	// Endpoints counts the ready addresses the importer got from each
	// source cluster.
	Endpoints map[string]int `json:"endpoints,omitempty"`
}

// Reader reads the members, keeping their clients across reads (the TUI
// reads every few seconds).
type Reader struct {
	client   client.Client
	registry *member.Set
}

// NewReader returns a Reader that finds members through the control plane c.
func NewReader(c client.Client) *Reader {
	return &Reader{client: c, registry: member.NewSet(c, 50, 100)}
}

// Collect reads once with a new Reader.
func Collect(ctx context.Context, c client.Client, namespace string) ([]Service, error) {
	return NewReader(c).Collect(ctx, namespace)
}

// Collect reads every member; a member that cannot be read is named in the
// error, and the others are still summarised.
func (r *Reader) Collect(ctx context.Context, namespace string) ([]Service, error) {
	var clusters clusterv1alpha1.ClusterList
	if err := r.client.List(ctx, &clusters); err != nil {
		return nil, err
	}
	byKey := map[string]*Service{}
	get := func(ns, name string) *Service {
		k := ns + "/" + name
		if byKey[k] == nil {
			byKey[k] = &Service{Namespace: ns, Name: name}
		}
		return byKey[k]
	}
	var errs []error
	for i := range clusters.Items {
		cluster := &clusters.Items[i]
		m, err := r.registry.For(ctx, cluster)
		if err == nil {
			err = collectMember(ctx, m.Client, cluster.Name, namespace, get)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", cluster.Name, err))
		}
	}
	out := make([]Service, 0, len(byKey))
	for _, s := range byKey {
		if len(s.Exporters) > 0 {
			out = append(out, *s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, errors.Join(errs...)
}

func collectMember(ctx context.Context, c client.Client, cluster, namespace string, get func(ns, name string) *Service) error {
	var exports mcsv1beta1.ServiceExportList
	if err := c.List(ctx, &exports, client.InNamespace(namespace)); err != nil {
		return err
	}
	for _, e := range exports.Items {
		s := get(e.Namespace, e.Name)
		x := Exporter{Cluster: cluster,
			Valid: condition(e.Status.Conditions, mcsv1beta1.ServiceExportConditionValid),
			Ready: condition(e.Status.Conditions, mcsv1beta1.ServiceExportConditionReady),
		}
		if cond := meta.FindStatusCondition(e.Status.Conditions, string(mcsv1beta1.ServiceExportConditionConflict)); cond != nil {
			x.Conflict = string(cond.Status) + "/" + cond.Reason
			if cond.Status == metav1.ConditionTrue {
				x.ConflictMessage = cond.Message
			}
		}
		s.Exporters = append(s.Exporters, x)
	}
	var imports mcsv1beta1.ServiceImportList
	if err := c.List(ctx, &imports, client.InNamespace(namespace)); err != nil {
		return err
	}
	var slices discoveryv1.EndpointSliceList
	if err := c.List(ctx, &slices, client.InNamespace(namespace), client.MatchingLabels{discoveryv1.LabelManagedBy: mcs.ManagedBy}); err != nil {
		return err
	}
	for _, imp := range imports.Items {
		s := get(imp.Namespace, imp.Name)
		s.Type = string(imp.Spec.Type)
		in := Importer{Cluster: cluster, IPs: imp.Spec.IPs, Endpoints: map[string]int{}}
		for _, slice := range slices.Items {
			if slice.Namespace != imp.Namespace || slice.Labels[mcsv1beta1.LabelServiceName] != imp.Name {
				continue
			}
			src := slice.Labels[mcsv1beta1.LabelSourceCluster]
			for _, e := range slice.Endpoints {
				if e.Conditions.Ready == nil || *e.Conditions.Ready {
					in.Endpoints[src] += len(e.Addresses)
				}
			}
		}
		s.Importers = append(s.Importers, in)
	}
	return nil
}

func condition(conds []metav1.Condition, t mcsv1beta1.ServiceExportConditionType) string {
	if c := meta.FindStatusCondition(conds, string(t)); c != nil {
		return string(c.Status) + "/" + c.Reason
	}
	return ""
}

// EndpointsString formats an importer's endpoint counts: "m1:2,m2:3".
func (i Importer) EndpointsString() string {
	srcs := make([]string, 0, len(i.Endpoints))
	for src := range i.Endpoints {
		srcs = append(srcs, src)
	}
	sort.Strings(srcs)
	parts := make([]string, len(srcs))
	for n, src := range srcs {
		parts[n] = fmt.Sprintf("%s:%d", src, i.Endpoints[src])
	}
	return strings.Join(parts, ",")
}

// Conflicts is the set of conflict reasons any exporter reports.
func (s Service) Conflicts() string {
	for _, e := range s.Exporters {
		if strings.HasPrefix(e.Conflict, "True/") {
			return strings.TrimPrefix(e.Conflict, "True/")
		}
	}
	return ""
}
