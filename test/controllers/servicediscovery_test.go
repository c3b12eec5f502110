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

package controllers

import (
	"context"
	"fmt"
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
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"

	"github.com/kubectl-karmada/kubectl-karmada/controllers/servicediscovery"
	"github.com/kubectl-karmada/kubectl-karmada/internal/mcs"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestServiceDiscoveryObservesAnExport: service discovery alone, with one
// real member, observes an export there (the Service, its EndpointSlice
// and the ServiceExport), says it is valid, and writes the import, the
// derived Service and a copy of the slice; it follows the slice as it
// changes, and removes all it wrote when the export goes.
func TestServiceDiscoveryObservesAnExport(t *testing.T) {
	m := memberClient(t)
	runAlone(t, func(mgr ctrl.Manager) error {
		return (&servicediscovery.Reconciler{Client: mgr.GetClient(), Members: member.NewSet(mgr.GetAPIReader(), 20, 40),
			NotReadyTimeout: time.Minute}).SetupWithManager(mgr)
	})
	ctx := t.Context()
	ns := framework.TestNamespace(t, m, "discovery")
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "api"}, Spec: corev1.ServiceSpec{
		Selector: map[string]string{"app": "api"},
		Ports:    []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromInt32(8080), Protocol: corev1.ProtocolTCP}}}}
	require.NoError(t, m.Create(ctx, svc))
	slice := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "api-1",
		Labels: map[string]string{discoveryv1.LabelServiceName: "api"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Ports:       []discoveryv1.EndpointPort{{Name: ptr.To("http"), Port: ptr.To[int32](8080), Protocol: ptr.To(corev1.ProtocolTCP)}},
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"10.244.0.5"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}}}}
	require.NoError(t, m.Create(ctx, slice))
	require.NoError(t, m.Create(ctx, &mcsv1beta1.ServiceExport{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "api"}}))

	key := client.ObjectKey{Namespace: ns, Name: "api"}
	imported := func(ctx context.Context) (bool, string) {
		export := &mcsv1beta1.ServiceExport{}
		if err := m.Get(ctx, key, export); err != nil {
			return false, err.Error()
		}
		if !meta.IsStatusConditionTrue(export.Status.Conditions, string(mcsv1beta1.ServiceExportConditionValid)) {
			return false, fmt.Sprintf("export conditions %+v", export.Status.Conditions)
		}
		imp := &mcsv1beta1.ServiceImport{}
		if err := m.Get(ctx, key, imp); err != nil {
			return false, err.Error()
		}
		// The IPs and the clusters are written last, each in its own write.
		return len(imp.Spec.IPs) == 1 && len(imp.Status.Clusters) == 1, fmt.Sprintf("import %+v, %+v", imp.Spec, imp.Status)
	}
	framework.Eventually(t, 30*time.Second, imported)
	imp := &mcsv1beta1.ServiceImport{}
	require.NoError(t, m.Get(ctx, key, imp))
	assert.Equal(t, mcsv1beta1.ClusterSetIP, imp.Spec.Type)
	assert.Equal(t, []mcsv1beta1.ServicePort{{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP}}, imp.Spec.Ports)
	assert.Equal(t, []mcsv1beta1.ClusterStatus{{Cluster: memberName}}, imp.Status.Clusters)
	derived := &corev1.Service{}
	require.NoError(t, m.Get(ctx, client.ObjectKey{Namespace: ns, Name: mcs.DerivedServiceName(ns, "api")}, derived))
	assert.Equal(t, imp.Spec.IPs, derived.Spec.ClusterIPs, "the import's IP is its derived Service's")
	assert.Empty(t, derived.Spec.Selector, "the derived Service carries the copied slices, not pods of its own")

	// The copy follows the exporter's slice.
	copied := func(want ...string) {
		t.Helper()
		framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
			var list discoveryv1.EndpointSliceList
			if err := m.List(ctx, &list, client.InNamespace(ns), client.MatchingLabels{mcsv1beta1.LabelSourceCluster: memberName}); err != nil {
				return false, err.Error()
			}
			var got []string
			for _, s := range list.Items {
				assert.Equal(t, derived.Name, s.Labels[discoveryv1.LabelServiceName], "a copy belongs to the derived Service")
				for _, e := range s.Endpoints {
					got = append(got, e.Addresses...)
				}
			}
			return assert.ObjectsAreEqual(want, got), fmt.Sprintf("copied endpoints %v", got)
		})
	}
	copied("10.244.0.5")
	slice.Endpoints = append(slice.Endpoints, discoveryv1.Endpoint{Addresses: []string{"10.244.0.6"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true)}})
	require.NoError(t, m.Update(ctx, slice))
	copied("10.244.0.5", "10.244.0.6")

	// Withdrawn: what was written goes.
	require.NoError(t, m.Delete(ctx, &mcsv1beta1.ServiceExport{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "api"}}))
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		err := m.Get(ctx, key, &mcsv1beta1.ServiceImport{})
		return apierrors.IsNotFound(err), fmt.Sprintf("the import: %v", err)
	})
	copied()
	err := m.Get(ctx, client.ObjectKeyFromObject(derived), &corev1.Service{})
	assert.True(t, apierrors.IsNotFound(err), "the derived Service goes: %v", err)
}
