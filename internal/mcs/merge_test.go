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

package mcs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"
)

func service(ports ...corev1.ServicePort) *corev1.Service {
	return &corev1.Service{Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, Ports: ports, SessionAffinity: corev1.ServiceAffinityNone}}
}

func port(name string, n int32) corev1.ServicePort {
	return corev1.ServicePort{Name: name, Port: n, Protocol: corev1.ProtocolTCP}
}

func at(minute int) metav1.Time {
	return metav1.NewTime(time.Date(2026, 11, 24, 0, minute, 0, 0, time.UTC))
}

func TestValidity(t *testing.T) {
	c := Export{Cluster: "a"}.Validity()
	assert.Equal(t, []string{"False", "NoService"}, []string{string(c.Status), c.Reason})
	ext := service()
	ext.Spec.Type = corev1.ServiceTypeExternalName
	c = Export{Cluster: "a", Service: ext}.Validity()
	assert.Equal(t, []string{"False", "InvalidServiceType"}, []string{string(c.Status), c.Reason})
	c = Export{Cluster: "a", Service: service()}.Validity()
	assert.Equal(t, metav1.ConditionTrue, c.Status)
}

func TestMergeUnionOfPorts(t *testing.T) {
	m, ok := Merge([]Export{
		{Cluster: "b", Created: at(2), Service: service(port("http", 80), port("metrics", 9090))},
		{Cluster: "a", Created: at(1), Service: service(port("http", 80), port("grpc", 8080))},
		{Cluster: "c", Created: at(0)}, // no Service: skipped
	})
	require.True(t, ok)
	assert.Equal(t, []string{"a", "b"}, m.Clusters)
	assert.Equal(t, "a", m.Winner)
	assert.Equal(t, mcsv1beta1.ClusterSetIP, m.Spec.Type)
	assert.Equal(t, []mcsv1beta1.ServicePort{
		{Name: "http", Port: 80, Protocol: "TCP"}, {Name: "grpc", Port: 8080, Protocol: "TCP"}, {Name: "metrics", Port: 9090, Protocol: "TCP"},
	}, m.Spec.Ports)
	assert.Equal(t, metav1.ConditionFalse, m.ConflictCondition().Status)
}

func TestMergeConflictsOldestWins(t *testing.T) {
	headless := service(port("web", 80))
	headless.Spec.ClusterIP = corev1.ClusterIPNone
	sticky := service(port("http", 80))
	sticky.Spec.SessionAffinity = corev1.ServiceAffinityClientIP
	m, ok := Merge([]Export{
		{Cluster: "old", Created: at(0), Service: service(port("http", 80))},
		{Cluster: "headless", Created: at(1), Service: headless},
		{Cluster: "sticky", Created: at(2), Service: sticky},
	})
	require.True(t, ok)
	assert.Equal(t, mcsv1beta1.ClusterSetIP, m.Spec.Type, "the oldest decides")
	assert.Equal(t, corev1.ServiceAffinityNone, m.Spec.SessionAffinity)
	assert.Equal(t, []string{"TypeConflict", "PortConflict"}, m.Conflicts["headless"])
	assert.Equal(t, []string{"SessionAffinityConflict"}, m.Conflicts["sticky"])
	assert.NotContains(t, m.Conflicts, "old")
	c := m.ConflictCondition()
	assert.Equal(t, metav1.ConditionTrue, c.Status)
	assert.Equal(t, "PortConflict,SessionAffinityConflict,TypeConflict", c.Reason)
	assert.Contains(t, c.Message, "old's, wins")
}

func TestMergeNothingValid(t *testing.T) {
	_, ok := Merge([]Export{{Cluster: "a"}})
	assert.False(t, ok)
}

func TestNames(t *testing.T) {
	d := DerivedServiceName("demo", "hello")
	assert.Len(t, d, len("derived-")+10)
	assert.Equal(t, d, DerivedServiceName("demo", "hello"))
	assert.NotEqual(t, d, DerivedServiceName("demo", "other"))
	assert.NotEqual(t, SliceName("hello", "m1", "hello-abc"), SliceName("hello", "m1", "hello-def"))
}

// TestMergePortConflicts: ports that are not identical to an older
// export's port of the same name, or of the same number and protocol,
// are PortConflicts and stay out, so the import and the derived Service
// never hold a name or a number twice (two exports naming 42 and 43 "tcp"
// made an import the API refused as a derived Service).
func TestMergePortConflicts(t *testing.T) {
	m, ok := Merge([]Export{
		{Cluster: "new", Created: at(1), Service: service(port("tcp", 43), port("web", 80))},
		{Cluster: "old", Created: at(0), Service: service(port("tcp", 42))},
		{Cluster: "renamed", Created: at(2), Service: service(port("other", 42))},
	})
	require.True(t, ok)
	assert.Equal(t, []mcsv1beta1.ServicePort{{Name: "tcp", Port: 42, Protocol: "TCP"}, {Name: "web", Port: 80, Protocol: "TCP"}}, m.Spec.Ports,
		"the oldest export's tcp port wins; the new cluster's web port joins")
	assert.Equal(t, []string{"PortConflict"}, m.Conflicts["new"])
	assert.Equal(t, []string{"PortConflict"}, m.Conflicts["renamed"])
	c := m.ConflictCondition()
	assert.Equal(t, "PortConflict", c.Reason)
	assert.Contains(t, c.Message, "new")
	assert.Contains(t, c.Message, "renamed")
}

// TestMergeIPFamiliesLabelsAnnotations: the import serves the oldest
// export's IP families and carries its exportedLabels and
// exportedAnnotations; exports that differ say so.
func TestMergeIPFamiliesLabelsAnnotations(t *testing.T) {
	dual := service(port("http", 80))
	dual.Spec.IPFamilies = []corev1.IPFamily{corev1.IPv4Protocol, corev1.IPv6Protocol}
	m, ok := Merge([]Export{
		{Cluster: "a", Created: at(0), Service: service(port("http", 80)), Labels: map[string]string{"tier": "web"}, Annotations: map[string]string{"owner": "team-a"}},
		{Cluster: "b", Created: at(1), Service: dual, Labels: map[string]string{"tier": "web"}, Annotations: map[string]string{"owner": "team-b"}},
		{Cluster: "c", Created: at(2), Service: service(port("http", 80)), Labels: map[string]string{"tier": "db"}, Annotations: map[string]string{"owner": "team-a"}},
	})
	require.True(t, ok)
	assert.Equal(t, []corev1.IPFamily{corev1.IPv4Protocol}, m.Spec.IPFamilies, "a Service that names none serves IPv4")
	assert.Equal(t, map[string]string{"tier": "web"}, m.Labels)
	assert.Equal(t, map[string]string{"owner": "team-a"}, m.Annotations)
	assert.Equal(t, []string{"IPFamilyConflict", "AnnotationsConflict"}, m.Conflicts["b"])
	assert.Equal(t, []string{"LabelsConflict"}, m.Conflicts["c"])
}
