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

package e2e

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/mcs"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

func helloService(ns, name string, port int32, portName string) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": name},
			Ports:    []corev1.ServicePort{{Name: portName, Port: port, TargetPort: intstr.FromInt32(80), Protocol: corev1.ProtocolTCP}},
		},
	}
}

func serviceExport(ns, name string) *mcsv1beta1.ServiceExport {
	return &mcsv1beta1.ServiceExport{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
}

// podIPs lists the IPs of the ready pods of app in a member.
func podIPs(ctx context.Context, c client.Client, ns, app string) ([]string, error) {
	var pods corev1.PodList
	if err := c.List(ctx, &pods, client.InNamespace(ns), client.MatchingLabels{"app": app}); err != nil {
		return nil, err
	}
	var out []string
	for _, p := range pods.Items {
		if p.Status.PodIP != "" && p.DeletionTimestamp.IsZero() {
			out = append(out, p.Status.PodIP)
		}
	}
	sort.Strings(out)
	return out, nil
}

// importedIPs lists, per source cluster, the addresses of the slices we
// copied into a member for service name.
func importedIPs(ctx context.Context, c client.Client, ns, name string) (map[string][]string, error) {
	var slices discoveryv1.EndpointSliceList
	if err := c.List(ctx, &slices, client.InNamespace(ns), client.MatchingLabels{mcsv1beta1.LabelServiceName: name}); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, s := range slices.Items {
		if s.Labels[discoveryv1.LabelManagedBy] != mcs.ManagedBy {
			return nil, fmt.Errorf("slice %s is managed by %q", s.Name, s.Labels[discoveryv1.LabelManagedBy])
		}
		src := s.Labels[mcsv1beta1.LabelSourceCluster]
		for _, e := range s.Endpoints {
			out[src] = append(out[src], e.Addresses...)
		}
		sort.Strings(out[src])
	}
	return out, nil
}

// expectImported waits until every member in importers holds the import
// of ns/name with slices of exactly the pod IPs of each exporter, and
// members not listed hold none.
func expectImported(t *testing.T, ns, name string, exporters []string) {
	t.Helper()
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		want := map[string][]string{}
		for _, e := range exporters {
			ips, err := podIPs(ctx, memberClients()[e], ns, name)
			if err != nil {
				return false, err.Error()
			}
			want[e] = ips
		}
		for member, c := range memberClients() {
			imp := &mcsv1beta1.ServiceImport{}
			err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, imp)
			if len(exporters) == 0 {
				if !apierrors.IsNotFound(err) {
					return false, fmt.Sprintf("%s still has the import (%v)", member, err)
				}
				got, err := importedIPs(ctx, c, ns, name)
				if err != nil || len(got) > 0 {
					return false, fmt.Sprintf("%s still has slices %v (%v)", member, got, err)
				}
				continue
			}
			if err != nil {
				return false, fmt.Sprintf("%s: %v", member, err)
			}
			var clusters []string
			for _, c := range imp.Status.Clusters {
				clusters = append(clusters, c.Cluster)
			}
			if strings.Join(clusters, ",") != strings.Join(exporters, ",") || len(imp.Spec.IPs) == 0 {
				return false, fmt.Sprintf("%s: import clusters %v ips %v", member, clusters, imp.Spec.IPs)
			}
			got, err := importedIPs(ctx, c, ns, name)
			if err != nil {
				return false, err.Error()
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				return false, fmt.Sprintf("%s: slices %v, want %v", member, got, want)
			}
		}
		return true, ""
	})
}

// exportCondition waits for a condition of a member's export and returns it.
func exportCondition(t *testing.T, c client.Client, ns, name, condition string, status metav1.ConditionStatus) metav1.Condition {
	t.Helper()
	var found metav1.Condition
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		export := &mcsv1beta1.ServiceExport{}
		if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, export); err != nil {
			return false, err.Error()
		}
		cond := meta.FindStatusCondition(export.Status.Conditions, condition)
		if cond == nil {
			return false, fmt.Sprintf("no %s condition: %v", condition, export.Status.Conditions)
		}
		found = *cond
		return cond.Status == status, fmt.Sprintf("%s=%s %s: %s", condition, cond.Status, cond.Reason, cond.Message)
	})
	return found
}

// TestServiceDiscovery: a Deployment and Service propagated to e2e-m1 and
// e2e-m2 and exported there are imported by all three members with the
// pods' IPs; the copies follow scaling; exports come and go.
func TestServiceDiscovery(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "mcs")
	framework.TestNamespace(t, m3, ns) // namespace sameness: e2e-m3 has it too
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "hello", 2)))
	require.NoError(t, cp.Create(t.Context(), helloService(ns, "hello", 80, "http")))
	pp := framework.Policy(ns, "hello", []string{"e2e-m1", "e2e-m2"}, nil)
	pp.Spec.ResourceSelectors = append(pp.Spec.ResourceSelectors, policyv1alpha1.ResourceSelector{APIVersion: "v1", Kind: "Service", Name: "hello"})
	require.NoError(t, cp.Create(t.Context(), pp))
	fw.ExpectReplicas(t, ns, "hello", map[string]int32{"e2e-m1": 2, "e2e-m2": 2})

	require.NoError(t, m1.Create(t.Context(), serviceExport(ns, "hello")))
	require.NoError(t, m2.Create(t.Context(), serviceExport(ns, "hello")))
	expectImported(t, ns, "hello", []string{"e2e-m1", "e2e-m2"})
	for _, c := range []client.Client{m1, m2} {
		exportCondition(t, c, ns, "hello", "Valid", metav1.ConditionTrue)
		exportCondition(t, c, ns, "hello", "Ready", metav1.ConditionTrue)
		exportCondition(t, c, ns, "hello", "Conflict", metav1.ConditionFalse)
	}
	imp := &mcsv1beta1.ServiceImport{}
	require.NoError(t, m3.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "hello"}, imp))
	assert.Equal(t, mcsv1beta1.ClusterSetIP, imp.Spec.Type)
	assert.Equal(t, []mcsv1beta1.ServicePort{{Name: "http", Protocol: "TCP", Port: 80}}, imp.Spec.Ports)
	derived := &corev1.Service{}
	require.NoError(t, m3.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: imp.Annotations[mcs.DerivedServiceAnnotation]}, derived))
	assert.Equal(t, imp.Spec.IPs, derived.Spec.ClusterIPs, "the import carries the derived Service's IP")
	assert.Empty(t, derived.Spec.Selector)

	// Scaling: the copies follow.
	fw.Scale(t, ns, "hello", 3)
	expectImported(t, ns, "hello", []string{"e2e-m1", "e2e-m2"})

	// Conflicts: e2e-m3 exports a headless Service of the same name, with
	// another port name; the oldest export (e2e-m1's) wins.
	headless := helloService(ns, "hello", 80, "web")
	headless.Spec.ClusterIP = corev1.ClusterIPNone
	require.NoError(t, m3.Create(t.Context(), headless))
	require.NoError(t, m3.Create(t.Context(), serviceExport(ns, "hello")))
	c := exportCondition(t, m1, ns, "hello", "Conflict", metav1.ConditionTrue)
	assert.Contains(t, c.Reason, "TypeConflict")
	assert.Contains(t, c.Reason, "PortConflict")
	assert.Contains(t, c.Message, "e2e-m3: ")
	require.NoError(t, m3.Delete(t.Context(), serviceExport(ns, "hello")))
	exportCondition(t, m1, ns, "hello", "Conflict", metav1.ConditionFalse)

	// Invalid exports.
	ext := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "ext"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "example.com"}}
	require.NoError(t, m3.Create(t.Context(), ext))
	require.NoError(t, m3.Create(t.Context(), serviceExport(ns, "ext")))
	require.NoError(t, m3.Create(t.Context(), serviceExport(ns, "ghost")))
	assert.Equal(t, "InvalidServiceType", exportCondition(t, m3, ns, "ext", "Valid", metav1.ConditionFalse).Reason)
	assert.Equal(t, "NoService", exportCondition(t, m3, ns, "ghost", "Valid", metav1.ConditionFalse).Reason)

	// One export leaves: its slices go, the import stays.
	require.NoError(t, m1.Delete(t.Context(), serviceExport(ns, "hello")))
	expectImported(t, ns, "hello", []string{"e2e-m2"})
	// The last leaves: nothing is left anywhere.
	require.NoError(t, m2.Delete(t.Context(), serviceExport(ns, "hello")))
	expectImported(t, ns, "hello", nil)
}

// TestServiceEndpointsLeaveWithTheirMember: a member that stays not ready
// past the timeout has its endpoints removed from the other members, and
// they return when it does. It uses a member of its own to stop.
func TestServiceEndpointsLeaveWithTheirMember(t *testing.T) {
	opts := localcluster.MemberOptions{Name: "e2e-m5", Region: "us-west", Zone: "us-west-1a", Nodes: 1, CPU: "4", Memory: "16Gi", Pods: "110"}
	member, m5 := dedicatedMember(t, opts)
	ns := framework.TestNamespace(t, m1, "mcsdown")
	framework.TestNamespace(t, m3, ns)
	framework.TestNamespace(t, m5, ns)
	for _, c := range []client.Client{m1, m5} {
		require.NoError(t, c.Create(t.Context(), framework.Nginx(ns, "web", 1)))
		require.NoError(t, c.Create(t.Context(), helloService(ns, "web", 80, "http")))
		require.NoError(t, c.Create(t.Context(), serviceExport(ns, "web")))
	}
	importers := func() map[string]client.Client { return map[string]client.Client{"e2e-m3": m3, "e2e-m1": m1} }
	expectSlicesFrom(t, importers(), ns, "web", []string{"e2e-m1", "e2e-m5"})

	require.NoError(t, member.Stop(t.Context()))
	expectSlicesFrom(t, importers(), ns, "web", []string{"e2e-m1"})

	require.NoError(t, member.Start(t.Context()))
	expectSlicesFrom(t, importers(), ns, "web", []string{"e2e-m1", "e2e-m5"})

	// Unjoining e2e-m5 takes its endpoints from the others and the
	// imports made in it away.
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		err := m5.Get(ctx, client.ObjectKey{Namespace: ns, Name: "web"}, &mcsv1beta1.ServiceImport{})
		return err == nil, fmt.Sprint(err)
	})
	_, err := karmada(t, "unjoin", opts.Name, "--timeout", "60s")
	require.NoError(t, err)
	expectSlicesFrom(t, importers(), ns, "web", []string{"e2e-m1"})
	err = m5.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web"}, &mcsv1beta1.ServiceImport{})
	assert.True(t, apierrors.IsNotFound(err), "the import in the member that left is gone: %v", err)
	left, err := importedIPs(t.Context(), m5, ns, "web")
	require.NoError(t, err)
	assert.Empty(t, left)
}

// expectSlicesFrom waits until each importer holds slices from exactly the
// given source clusters (with one address each: the single pod).
func expectSlicesFrom(t *testing.T, importers map[string]client.Client, ns, name string, from []string) {
	t.Helper()
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		for member, c := range importers {
			got, err := importedIPs(ctx, c, ns, name)
			if err != nil {
				return false, err.Error()
			}
			var clusters []string
			for src, ips := range got {
				if len(ips) != 1 {
					return false, fmt.Sprintf("%s: %d addresses from %s", member, len(ips), src)
				}
				clusters = append(clusters, src)
			}
			sort.Strings(clusters)
			if strings.Join(clusters, ",") != strings.Join(from, ",") {
				return false, fmt.Sprintf("%s: slices from %v, want %v", member, clusters, from)
			}
		}
		return true, ""
	})
}

// TestExportCommandAndGetServices: "export svc/NAME" exports a Service the
// Karmada way (ServiceExport propagated beside it), "get services" shows
// exporters, importers and endpoints, and a ServiceImport authored on the
// control plane limits the consumers to where it is propagated.
func TestExportCommandAndGetServices(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "mcsexport")
	framework.TestNamespace(t, m2, ns)
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "api", 1)))
	require.NoError(t, cp.Create(t.Context(), helloService(ns, "api", 80, "http")))
	pp := framework.Policy(ns, "api", []string{"e2e-m1", "e2e-m3"}, nil)
	pp.Spec.ResourceSelectors = append(pp.Spec.ResourceSelectors, policyv1alpha1.ResourceSelector{APIVersion: "v1", Kind: "Service", Name: "api"})
	require.NoError(t, cp.Create(t.Context(), pp))
	fw.ExpectReplicas(t, ns, "api", map[string]int32{"e2e-m1": 1, "e2e-m3": 1})
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		rb := &workv1alpha2.ResourceBinding{}
		err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: "api-service"}, rb)
		return err == nil && len(rb.Spec.Clusters) == 2, fmt.Sprint(err)
	})

	out, err := karmada(t, "-n", ns, "export", "svc/api")
	require.NoError(t, err)
	assert.Contains(t, out, "exported from e2e-m1, e2e-m3")
	expectImported(t, ns, "api", []string{"e2e-m1", "e2e-m3"})

	out, err = karmada(t, "-n", ns, "get", "services")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^api\s+ClusterSetIP\s+e2e-m1,e2e-m3\s+e2e-m1,e2e-m2,e2e-m3\s+e2e-m1:1,e2e-m3:1\s+-$`, out)
	out, err = karmada(t, "-n", ns, "get", "services", "api", "-o", "json")
	require.NoError(t, err)
	assert.Contains(t, out, `"cluster": "e2e-m2"`)

	// Karmada's way to limit the consumers: a ServiceImport on the control
	// plane, propagated to e2e-m2 only.
	authored := &mcsv1beta1.ServiceImport{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "api"},
		Spec: mcsv1beta1.ServiceImportSpec{Type: mcsv1beta1.ClusterSetIP, Ports: []mcsv1beta1.ServicePort{{Name: "http", Protocol: "TCP", Port: 80}}}}
	require.NoError(t, cp.Create(t.Context(), authored))
	consumers := &policyv1alpha1.PropagationPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "api-consumers"},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "multicluster.x-k8s.io/v1beta1", Kind: "ServiceImport", Name: "api"}},
			Placement:         policyv1alpha1.Placement{ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: []string{"e2e-m2"}}},
		}}
	require.NoError(t, cp.Create(t.Context(), consumers))
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		for member, c := range memberClients() {
			imp := &mcsv1beta1.ServiceImport{}
			err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: "api"}, imp)
			got, serr := importedIPs(ctx, c, ns, "api")
			if serr != nil {
				return false, serr.Error()
			}
			switch {
			case member != "e2e-m2" && (!apierrors.IsNotFound(err) || len(got) > 0):
				return false, fmt.Sprintf("%s still imports (%v, slices %v)", member, err, got)
			case member == "e2e-m2" && (err != nil || len(imp.Spec.IPs) == 0 || len(got) != 2):
				return false, fmt.Sprintf("e2e-m2: %v ips %v slices %v", err, imp.Spec.IPs, got)
			}
		}
		return true, ""
	})
}

// TestServiceImportFollowsTheSpecification: MCS conformance on the local
// clusters. Two exports that name a port "tcp" but use 42 and 43 are a
// PortConflict, on both exports, and the oldest wins: the import and its
// derived Service hold one "tcp" port (before, the import held two and the
// derived Service was refused); the import serves the oldest Service's IP
// families and carries its export's exportedLabels and
// exportedAnnotations; an export that differs is a LabelsConflict.
func TestServiceImportFollowsTheSpecification(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "mcsspec")
	for _, m := range []string{"e2e-m1", "e2e-m2", "e2e-m3"} {
		expectNamespace(t, m, ns, true) // provisioned from the control plane
	}
	require.NoError(t, m1.Create(ctx, helloService(ns, "echo", 42, "tcp")))
	require.NoError(t, m2.Create(ctx, helloService(ns, "echo", 43, "tcp")))
	older := serviceExport(ns, "echo")
	older.Spec.ExportedLabels = map[string]string{"tier": "backend"}
	older.Spec.ExportedAnnotations = map[string]string{"owner": "team-a"}
	require.NoError(t, m1.Create(ctx, older))
	time.Sleep(1100 * time.Millisecond) // creation timestamps have seconds
	newer := serviceExport(ns, "echo")
	newer.Spec.ExportedLabels = map[string]string{"tier": "frontend"}
	newer.Spec.ExportedAnnotations = map[string]string{"owner": "team-a"}
	require.NoError(t, m2.Create(ctx, newer))

	for _, c := range []client.Client{m1, m2} {
		cond := exportCondition(t, c, ns, "echo", "Conflict", metav1.ConditionTrue)
		assert.Equal(t, "LabelsConflict,PortConflict", cond.Reason)
		assert.Contains(t, cond.Message, "e2e-m2: ")
	}
	imp := &mcsv1beta1.ServiceImport{}
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		if err := m3.Get(ctx, client.ObjectKey{Namespace: ns, Name: "echo"}, imp); err != nil {
			return false, err.Error()
		}
		return len(imp.Spec.IPs) == 1, fmt.Sprintf("import %+v", imp.Spec)
	})
	assert.Equal(t, []mcsv1beta1.ServicePort{{Name: "tcp", Protocol: "TCP", Port: 42}}, imp.Spec.Ports)
	assert.Equal(t, []corev1.IPFamily{corev1.IPv4Protocol}, imp.Spec.IPFamilies)
	assert.Equal(t, "backend", imp.Labels["tier"])
	assert.Equal(t, "team-a", imp.Annotations["owner"])
	derived := &corev1.Service{}
	require.NoError(t, m3.Get(ctx, client.ObjectKey{Namespace: ns, Name: imp.Annotations[mcs.DerivedServiceAnnotation]}, derived))
	assert.Equal(t, imp.Spec.IPs, derived.Spec.ClusterIPs)
	require.Len(t, derived.Spec.Ports, 1)
	assert.Equal(t, int32(42), derived.Spec.Ports[0].Port)

	t.Log("the newer export agrees: no conflict left")
	require.NoError(t, m2.Get(ctx, client.ObjectKeyFromObject(newer), newer))
	newer.Spec.ExportedLabels = map[string]string{"tier": "backend"}
	require.NoError(t, m2.Update(ctx, newer))
	svc := &corev1.Service{}
	require.NoError(t, m2.Get(ctx, client.ObjectKey{Namespace: ns, Name: "echo"}, svc))
	svc.Spec.Ports[0].Port = 42
	require.NoError(t, m2.Update(ctx, svc))
	exportCondition(t, m1, ns, "echo", "Conflict", metav1.ConditionFalse)
}
