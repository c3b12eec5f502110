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
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/dependencies"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// TestDependenciesFollowTheirWorkloads: the distributor gives each
// dependency of a propagateDeps binding an attached binding that carries
// the requiring bindings' clusters, one made later included; reports
// requirers whose policies disagree until they agree; follows the
// dependency's changes; and lets an attached binding go with its last
// requirer.
func TestDependenciesFollowTheirWorkloads(t *testing.T) {
	runAlone(t, func(mgr ctrl.Manager) error {
		return (&dependencies.Distributor{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("dependencies-distributor")}).SetupWithManager(mgr)
	})
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "deps")
	settings := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "settings"}, Data: map[string]string{"a": "1"}}
	db := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"}, StringData: map[string]string{"password": "x"}}
	require.NoError(t, cp.Create(ctx, settings))
	require.NoError(t, cp.Create(ctx, db))

	web := framework.Nginx(ns, "web", 2)
	pod := &web.Spec.Template.Spec
	pod.ServiceAccountName = "later" // made later
	pod.Containers[0].EnvFrom = []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "settings"}}}}
	pod.Volumes = []corev1.Volume{{Name: "db", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "db"}}}}
	api := framework.Nginx(ns, "api", 1)
	api.Spec.Template.Spec.Containers[0].EnvFrom = web.Spec.Template.Spec.Containers[0].EnvFrom
	require.NoError(t, cp.Create(ctx, web))
	require.NoError(t, cp.Create(ctx, api))

	// Bindings as the detector and scheduler leave them.
	requirer := func(template client.Object, cluster string, cr policyv1alpha1.ConflictResolution, preserve bool) *workv1alpha2.ResourceBinding {
		b := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: names.BindingName("Deployment", template.GetName())}}
		b.Spec = workv1alpha2.ResourceBindingSpec{
			Resource:      workv1alpha2.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: template.GetName(), UID: template.GetUID(), ResourceVersion: template.GetResourceVersion()},
			Placement:     &policyv1alpha1.Placement{},
			PropagateDeps: true, ConflictResolution: cr, PreserveResourcesOnDeletion: ptr.To(preserve),
			Clusters: []workv1alpha2.TargetCluster{{Name: cluster, Replicas: 1}},
		}
		require.NoError(t, cp.Create(ctx, b))
		return b
	}
	webRB := requirer(web, "m1", policyv1alpha1.ConflictOverwrite, true)

	attached := func(kind, name string, check func(a *workv1alpha2.ResourceBinding) string) *workv1alpha2.ResourceBinding {
		t.Helper()
		a := &workv1alpha2.ResourceBinding{}
		framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
			if err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName(kind, name)}, a); err != nil {
				return false, err.Error()
			}
			why := check(a)
			return why == "", why
		})
		return a
	}
	requiredBy := func(want ...string) func(a *workv1alpha2.ResourceBinding) string {
		return func(a *workv1alpha2.ResourceBinding) string {
			got := make([]string, 0, len(a.Spec.RequiredBy))
			for _, s := range a.Spec.RequiredBy {
				cs := make([]string, 0, len(s.Clusters))
				for _, c := range s.Clusters {
					cs = append(cs, c.Name)
				}
				got = append(got, s.Name+"@"+strings.Join(cs, ","))
			}
			return diff(want, got)
		}
	}

	cm := attached("ConfigMap", "settings", requiredBy("web-deployment@m1"))
	assert.Equal(t, "settings", cm.Spec.Resource.Name)
	assert.Equal(t, settings.UID, cm.Spec.Resource.UID)
	assert.Equal(t, settings.UID, cm.OwnerReferences[0].UID, "the garbage collector removes it with its ConfigMap")
	assert.Contains(t, cm.Finalizers, names.BindingFinalizer)
	assert.NotEmpty(t, cm.Labels[names.ResourceBindingPermanentIDLabel])
	key, value := names.DependedByLabel(ns, "web-deployment")
	assert.Equal(t, value, cm.Labels[key], "Karmada's depended-by label")
	assert.Nil(t, cm.Spec.Placement, "no policy of its own")
	assert.Equal(t, policyv1alpha1.ConflictOverwrite, cm.Spec.ConflictResolution, "from its one requirer")
	assert.True(t, ptr.Deref(cm.Spec.PreserveResourcesOnDeletion, false))
	attached("Secret", "db", requiredBy("web-deployment@m1"))

	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(webRB), webRB))
	var recorded []workv1alpha2.ObjectReference
	require.NoError(t, json.Unmarshal([]byte(webRB.Annotations[names.DependenciesAnnotation]), &recorded))
	assert.Len(t, recorded, 3, "the annotation records the ServiceAccount not made yet too")

	t.Log("a dependency made later is attached")
	require.NoError(t, cp.Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "later"}}))
	attached("ServiceAccount", "later", requiredBy("web-deployment@m1"))

	t.Log("a second requirer whose policy disagrees: reported, the safer choice applies")
	apiRB := requirer(api, "m2", "", false)
	cm = attached("ConfigMap", "settings", func(a *workv1alpha2.ResourceBinding) string {
		if why := requiredBy("api-deployment@m2", "web-deployment@m1")(a); why != "" {
			return why
		}
		c := meta.FindStatusCondition(a.Status.Conditions, dependencies.ConflictCondition)
		if c == nil || c.Status != metav1.ConditionTrue {
			return fmt.Sprintf("no conflict reported: %v", a.Status.Conditions)
		}
		return ""
	})
	c := meta.FindStatusCondition(cm.Status.Conditions, dependencies.ConflictCondition)
	assert.Contains(t, c.Message, "ConflictResolution conflicted (Overwrite by "+ns+"/web-deployment vs Abort by "+ns+"/api-deployment")
	assert.Contains(t, c.Message, "PreserveResourcesOnDeletion conflicted")
	assert.Equal(t, policyv1alpha1.ConflictOverwrite, cm.Spec.ConflictResolution)
	assert.True(t, ptr.Deref(cm.Spec.PreserveResourcesOnDeletion, false))

	t.Log("the policies agree: resolved")
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(apiRB), apiRB))
	apiRB.Spec.ConflictResolution, apiRB.Spec.PreserveResourcesOnDeletion = policyv1alpha1.ConflictOverwrite, ptr.To(true)
	require.NoError(t, cp.Update(ctx, apiRB))
	attached("ConfigMap", "settings", func(a *workv1alpha2.ResourceBinding) string {
		if c := meta.FindStatusCondition(a.Status.Conditions, dependencies.ConflictCondition); c.Status != metav1.ConditionFalse {
			return "still reported: " + c.Message
		}
		return ""
	})

	t.Log("a change of the ConfigMap moves its binding's resourceVersion (the binding controller sends it)")
	settings.Data["a"] = "2"
	require.NoError(t, cp.Update(ctx, settings))
	attached("ConfigMap", "settings", func(a *workv1alpha2.ResourceBinding) string {
		if a.Spec.Resource.ResourceVersion != settings.ResourceVersion {
			return "at " + a.Spec.Resource.ResourceVersion
		}
		return ""
	})

	t.Log("a requirer that moves: its snapshot follows")
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(webRB), webRB))
	webRB.Spec.Clusters = []workv1alpha2.TargetCluster{{Name: "m3", Replicas: 2}}
	require.NoError(t, cp.Update(ctx, webRB))
	attached("Secret", "db", requiredBy("web-deployment@m3"))
	attached("ConfigMap", "settings", requiredBy("api-deployment@m2", "web-deployment@m3"))

	t.Log("the workload no longer needs the Secret: its binding goes")
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(web), web))
	web.Spec.Template.Spec.Volumes = nil
	require.NoError(t, cp.Update(ctx, web))
	// The detector moves the binding's resourceVersion with the template.
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(webRB), webRB))
	webRB.Spec.Resource.ResourceVersion = web.ResourceVersion
	require.NoError(t, cp.Update(ctx, webRB))
	gone(t, "Secret", ns, "db")

	t.Log("the first requirer goes: what only it needed goes, what both need stays for the other")
	require.NoError(t, cp.Delete(ctx, webRB))
	gone(t, "ServiceAccount", ns, "later")
	attached("ConfigMap", "settings", requiredBy("api-deployment@m2"))
	t.Log("the last requirer goes")
	require.NoError(t, cp.Delete(ctx, apiRB))
	gone(t, "ConfigMap", ns, "settings")
}

// gone waits until the attached binding of a dependency is gone or going
// (its finalizer is the binding controller's, which does not run here).
func gone(t *testing.T, kind, ns, name string) {
	t.Helper()
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		a := &workv1alpha2.ResourceBinding{}
		err := cp.Get(ctx, client.ObjectKey{Namespace: ns, Name: names.BindingName(kind, name)}, a)
		if apierrors.IsNotFound(err) || (err == nil && !a.DeletionTimestamp.IsZero()) {
			return true, ""
		}
		return false, fmt.Sprintf("%s still bound: %v %v", name, err, a.Spec.RequiredBy)
	})
}

// diff is "" when got is want, or says how they differ.
func diff(want, got []string) string {
	if strings.Join(want, " ") == strings.Join(got, " ") {
		return ""
	}
	return fmt.Sprintf("want %v, got %v", want, got)
}
