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
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// expectIn waits until obj (its namespace and name) is in exactly the
// members named (a copy being deleted counts as gone), and returns the
// copy in the first; check, when set, must hold for every copy.
func expectIn(t *testing.T, obj client.Object, members []string, check func(client.Object) string) {
	t.Helper()
	want := map[string]bool{}
	for _, m := range members {
		want[m] = true
	}
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		for name, c := range memberClients() {
			got := obj.DeepCopyObject().(client.Object)
			err := c.Get(ctx, client.ObjectKeyFromObject(obj), got)
			if client.IgnoreNotFound(err) != nil {
				return false, err.Error()
			}
			there := err == nil && got.GetDeletionTimestamp().IsZero()
			if there != want[name] {
				return false, fmt.Sprintf("%T %s in %s: %v, want %v", obj, obj.GetName(), name, there, want[name])
			}
			if there && check != nil {
				if why := check(got); why != "" {
					return false, name + ": " + why
				}
			}
		}
		return true, ""
	})
}

// TestPropagateDepsFollowTheWorkload: as Karmada's dependencies
// distributor does, what a workload's pods reference follows it to
// exactly its clusters (a dependency two workloads need goes where
// either runs), follows its changes, moves with it and leaves with it;
// two policies that disagree on conflictResolution for one dependency
// are reported on its binding; a dependency placed by a policy of its
// own keeps what that policy gives while required elsewhere, and keeps
// it when that policy lets it go, as any template does.
func TestPropagateDepsFollowTheWorkload(t *testing.T) {
	ctx := t.Context()
	ns := framework.TestNamespace(t, cp, "deps")
	settings := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "settings"}, Data: map[string]string{"mode": "a"}}
	shared := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "shared"}, Data: map[string]string{"x": "1"}}
	db := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"}, StringData: map[string]string{"password": "p"}}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "web-sa"}}
	pvc := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "data"}, Spec: corev1.PersistentVolumeClaimSpec{
		AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
		Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
	}}
	unused := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "unused"}}
	for _, o := range []client.Object{settings, shared, db, sa, pvc, unused} {
		require.NoError(t, cp.Create(ctx, o))
	}

	envFrom := func(cm string) corev1.EnvFromSource {
		return corev1.EnvFromSource{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: cm}}}
	}
	web := framework.Nginx(ns, "web", 1)
	spec := &web.Spec.Template.Spec
	spec.ServiceAccountName = "web-sa"
	spec.Containers[0].EnvFrom = []corev1.EnvFromSource{envFrom("settings")}
	spec.Containers[0].Env = []corev1.EnvVar{{Name: "PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: "db"}, Key: "password"}}}}
	spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}}
	api := framework.Nginx(ns, "api", 1)
	api.Spec.Template.Spec.Containers[0].EnvFrom = []corev1.EnvFromSource{envFrom("settings"), envFrom("shared")}
	require.NoError(t, cp.Create(ctx, web))
	require.NoError(t, cp.Create(ctx, api))

	webPolicy := framework.Policy(ns, "web", []string{"e2e-m1"}, nil)
	webPolicy.Spec.ResourceSelectors[0].Name = "web"
	webPolicy.Spec.PropagateDeps = true
	webPolicy.Spec.ConflictResolution = policyv1alpha1.ConflictOverwrite
	apiPolicy := framework.Policy(ns, "api", []string{"e2e-m3"}, nil)
	apiPolicy.Spec.ResourceSelectors[0].Name = "api"
	apiPolicy.Spec.PropagateDeps = true
	// shared has a policy of its own too.
	sharedPolicy := framework.Policy(ns, "shared", []string{"e2e-m2"}, nil)
	sharedPolicy.Spec.ResourceSelectors = []policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "ConfigMap", Name: "shared"}}
	for _, p := range []*policyv1alpha1.PropagationPolicy{webPolicy, apiPolicy, sharedPolicy} {
		require.NoError(t, cp.Create(ctx, p))
	}

	// Its pod waits for a volume that kwok's members never bind: the copy
	// is enough.
	expectIn(t, web, []string{"e2e-m1"}, nil)
	expectIn(t, db, []string{"e2e-m1"}, nil)
	expectIn(t, sa, []string{"e2e-m1"}, nil)
	expectIn(t, pvc, []string{"e2e-m1"}, nil)
	expectIn(t, settings, []string{"e2e-m1", "e2e-m3"}, nil)
	expectIn(t, shared, []string{"e2e-m2", "e2e-m3"}, nil)
	expectIn(t, unused, nil, nil)
	fw.ExpectEventOn(t, ns, "ResourceBinding", names.BindingName("ConfigMap", "settings"), "DependencyPolicyConflict",
		"ConflictResolution conflicted (Overwrite by "+ns+"/web-deployment vs Abort by "+ns+"/api-deployment")
	fw.ExpectEventOn(t, ns, "ResourceBinding", names.BindingName("Deployment", "web"), "SyncScheduleResultToDependenciesSucceed", "")

	t.Log("a change of a dependency reaches every copy")
	settings.Data["mode"] = "b"
	require.NoError(t, cp.Update(ctx, settings))
	expectIn(t, settings, []string{"e2e-m1", "e2e-m3"}, func(o client.Object) string {
		if got := o.(*corev1.ConfigMap).Data["mode"]; got != "b" {
			return "mode " + got
		}
		return ""
	})

	t.Log("the workload moves: its dependencies move with it")
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(webPolicy), webPolicy))
	webPolicy.Spec.Placement.ClusterAffinity.ClusterNames = []string{"e2e-m2"}
	require.NoError(t, cp.Update(ctx, webPolicy))
	expectIn(t, web, []string{"e2e-m2"}, nil)
	expectIn(t, db, []string{"e2e-m2"}, nil)
	expectIn(t, settings, []string{"e2e-m2", "e2e-m3"}, nil)

	t.Log("the dependency's own policy goes: let go as in Karmada, it stays where it was")
	require.NoError(t, cp.Delete(ctx, sharedPolicy))
	fw.ExpectEventOn(t, ns, "ConfigMap", "shared", "Unclaimed", "No policy selects it any more")
	expectIn(t, shared, []string{"e2e-m2", "e2e-m3"}, nil)

	t.Log("the workload goes: what only it needed leaves the members")
	require.NoError(t, cp.Delete(ctx, web))
	expectIn(t, db, nil, nil)
	expectIn(t, sa, nil, nil)
	expectIn(t, pvc, nil, nil)
	expectIn(t, settings, []string{"e2e-m3"}, nil)

	t.Log("the other policy stops propagating dependencies: they leave too")
	require.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(apiPolicy), apiPolicy))
	apiPolicy.Spec.PropagateDeps = false
	require.NoError(t, cp.Update(ctx, apiPolicy))
	expectIn(t, settings, nil, nil)
	expectIn(t, shared, []string{"e2e-m2"}, nil)
	fw.ExpectReplicas(t, ns, "api", map[string]int32{"e2e-m3": 1})
	assert.NoError(t, cp.Get(ctx, client.ObjectKeyFromObject(settings), settings), "the templates stay on the control plane")
}
