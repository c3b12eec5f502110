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

package servicesummary

import (
	"testing"

	"github.com/stretchr/testify/assert"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"
)

func TestEndpointsString(t *testing.T) {
	assert.Equal(t, "m1:2,m2:3", Importer{Endpoints: map[string]int{"m2": 3, "m1": 2}}.EndpointsString(), "sorted by source")
	assert.Empty(t, Importer{}.EndpointsString())
}

func TestConflicts(t *testing.T) {
	s := Service{Exporters: []Exporter{{Cluster: "m1", Conflict: "False/NoConflicts"}, {Cluster: "m2", Conflict: "True/PortConflict"}}}
	assert.Equal(t, "PortConflict", s.Conflicts())
	assert.Empty(t, Service{Exporters: []Exporter{{Cluster: "m1", Conflict: "False/NoConflicts"}, {Cluster: "m2"}}}.Conflicts())
}

func TestCondition(t *testing.T) {
	conds := []metav1.Condition{{Type: string(mcsv1beta1.ServiceExportConditionValid), Status: metav1.ConditionTrue, Reason: "Valid"}}
	assert.Equal(t, "True/Valid", condition(conds, mcsv1beta1.ServiceExportConditionValid))
	assert.Empty(t, condition(conds, mcsv1beta1.ServiceExportConditionConflict), "not set yet")
}
