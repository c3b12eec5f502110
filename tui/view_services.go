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

package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubectl-karmada/kubectl-karmada/internal/servicesummary"
)

// servicesView lists the services shared with the MCS API: who exports,
// who imports, endpoints and conflicts.
type servicesView struct{}

func (servicesView) name() string                        { return "Services" }
func (servicesView) columns() []column                   { return serviceColumns }
func (servicesView) actions() []action                   { return nil }
func (servicesView) rows(s *Snapshot, _ time.Time) []row { return serviceRows(s) }
func (servicesView) detail(s *Snapshot, key string, _ time.Time) []string {
	return serviceDetail(s, key)
}
func (servicesView) empty(s *Snapshot) string {
	if s.ServicesErr != "" {
		return "services: " + s.ServicesErr
	}
	return "no exported services: kubectl karmada export svc/NAME"
}

var serviceColumns = []column{
	{"SERVICE", 22, 0}, {"TYPE", 12, 4}, {"EXPORTED BY", 18, 0}, {"IMPORTED BY", 18, 2}, {"ENDPOINTS", 18, 1}, {"CONFLICT", 14, 3},
	{"IPS", 16, 5},
}

func serviceRows(s *Snapshot) []row {
	rows := make([]row, 0, len(s.Services))
	for _, svc := range s.Services {
		var exporters, importers, ips []string
		for _, e := range svc.Exporters {
			if strings.HasPrefix(e.Valid, "True/") {
				exporters = append(exporters, e.Cluster)
			} else {
				exporters = append(exporters, badStyle.Render(e.Cluster+"!"))
			}
		}
		endpoints := ""
		for _, i := range svc.Importers {
			importers = append(importers, i.Cluster)
			ips = append(ips, i.IPs...)
			if e := i.EndpointsString(); len(e) > len(endpoints) {
				endpoints = e
			}
		}
		conflict := svc.Conflicts()
		if conflict != "" {
			conflict = badStyle.Render(conflict)
		}
		name := svc.Namespace + "/" + svc.Name
		rows = append(rows, row{
			key:   name,
			cells: []string{name, orDash(svc.Type), orDash(strings.Join(exporters, ",")), orDash(strings.Join(importers, ",")), orDash(endpoints), orDash(conflict), orDash(strings.Join(ips, ","))},
			text:  name,
		})
	}
	return rows
}

func serviceDetail(s *Snapshot, key string) []string {
	svc := serviceByName(s, key)
	if svc == nil {
		return []string{"the service is no longer exported"}
	}
	lines := []string{titleStyle.Render("Service " + key), "  type " + orDash(svc.Type), "", titleStyle.Render("Exported by")}
	for _, e := range svc.Exporters {
		lines = append(lines, fmt.Sprintf("  %-14s Valid=%s  Ready=%s  Conflict=%s", e.Cluster, orDash(e.Valid), orDash(e.Ready), orDash(e.Conflict)))
		if e.ConflictMessage != "" {
			lines = append(lines, "                 "+e.ConflictMessage)
		}
	}
	lines = append(lines, "", titleStyle.Render("Imported by"))
	for _, i := range svc.Importers {
		lines = append(lines, fmt.Sprintf("  %-14s IPs %s  endpoints %s", i.Cluster, orDash(strings.Join(i.IPs, ",")), orDash(i.EndpointsString())))
	}
	if len(svc.Importers) == 0 {
		lines = append(lines, "  none yet")
	}
	return lines
}

// serviceByName finds a service in the snapshot.
func serviceByName(s *Snapshot, name string) *servicesummary.Service {
	for i := range s.Services {
		if s.Services[i].Namespace+"/"+s.Services[i].Name == name {
			return &s.Services[i]
		}
	}
	return nil
}
