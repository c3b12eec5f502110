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

package workload

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// podSpecField is where each kind that runs pods keeps its pod spec.
var podSpecField = map[schema.GroupKind][]string{
	{Group: "apps", Kind: "Deployment"}:  {"spec", "template", "spec"},
	{Group: "apps", Kind: "StatefulSet"}: {"spec", "template", "spec"},
	{Group: "apps", Kind: "DaemonSet"}:   {"spec", "template", "spec"},
	{Group: "apps", Kind: "ReplicaSet"}:  {"spec", "template", "spec"},
	{Group: "batch", Kind: "Job"}:        {"spec", "template", "spec"},
	{Group: "batch", Kind: "CronJob"}:    {"spec", "jobTemplate", "spec", "template", "spec"},
	{Group: "", Kind: "Pod"}:             {"spec"},
}

// HasDependencies reports whether Dependencies knows the kind: a
// propagateDeps policy on another kind propagates nothing more.
func HasDependencies(apiVersion, kind string) bool {
	gk := schema.FromAPIVersionAndKind(apiVersion, kind).GroupKind()
	_, ok := podSpecField[gk]
	return ok || gk == schema.GroupKind{Group: "networking.k8s.io", Kind: "Ingress"}
}

// Dependencies are the objects a template needs beside it in a member, as
// Karmada's propagateDeps counts them: the ConfigMaps, Secrets,
// ServiceAccount (not "default") and PersistentVolumeClaims its pods
// reference, and an Ingress's TLS Secrets. All are in the template's
// namespace; the list is sorted and has no repeats.
func Dependencies(obj *unstructured.Unstructured) ([]workv1alpha2.ObjectReference, error) {
	d := dependencies{namespace: obj.GetNamespace(), seen: map[workv1alpha2.ObjectReference]bool{}}
	gk := obj.GroupVersionKind().GroupKind()
	if gk == (schema.GroupKind{Group: "networking.k8s.io", Kind: "Ingress"}) {
		tls, _, err := unstructured.NestedSlice(obj.Object, "spec", "tls")
		if err != nil {
			return nil, err
		}
		for _, t := range tls {
			if m, ok := t.(map[string]any); ok {
				name, _ := m["secretName"].(string)
				d.add("Secret", name)
			}
		}
		return d.sorted(), nil
	}
	field, ok := podSpecField[gk]
	if !ok {
		return nil, nil
	}
	raw, found, err := unstructured.NestedMap(obj.Object, field...)
	if err != nil || !found {
		return nil, err
	}
	spec := &corev1.PodSpec{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, spec); err != nil {
		return nil, err
	}
	d.podSpec(spec)
	return d.sorted(), nil
}

type dependencies struct {
	namespace string
	seen      map[workv1alpha2.ObjectReference]bool
}

func (d *dependencies) add(kind, name string) {
	if name == "" {
		return
	}
	d.seen[workv1alpha2.ObjectReference{APIVersion: "v1", Kind: kind, Namespace: d.namespace, Name: name}] = true
}

func (d *dependencies) sorted() []workv1alpha2.ObjectReference {
	out := make([]workv1alpha2.ObjectReference, 0, len(d.seen))
	for ref := range d.seen {
		out = append(out, ref)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func (d *dependencies) podSpec(spec *corev1.PodSpec) {
	sa := spec.ServiceAccountName
	if sa == "" {
		sa = spec.DeprecatedServiceAccount
	}
	if sa != "default" {
		d.add("ServiceAccount", sa)
	}
	for _, s := range spec.ImagePullSecrets {
		d.add("Secret", s.Name)
	}
	for _, c := range spec.InitContainers {
		d.container(c.Env, c.EnvFrom)
	}
	for _, c := range spec.Containers {
		d.container(c.Env, c.EnvFrom)
	}
	for _, c := range spec.EphemeralContainers {
		d.container(c.Env, c.EnvFrom)
	}
	for _, v := range spec.Volumes {
		d.volume(&v.VolumeSource)
	}
}

func (d *dependencies) container(env []corev1.EnvVar, envFrom []corev1.EnvFromSource) {
	for _, e := range env {
		if e.ValueFrom == nil {
			continue
		}
		if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
			d.add("ConfigMap", r.Name)
		}
		if r := e.ValueFrom.SecretKeyRef; r != nil {
			d.add("Secret", r.Name)
		}
	}
	for _, e := range envFrom {
		if e.ConfigMapRef != nil {
			d.add("ConfigMap", e.ConfigMapRef.Name)
		}
		if e.SecretRef != nil {
			d.add("Secret", e.SecretRef.Name)
		}
	}
}

// volume adds what a volume names: config, secrets (of every volume
// plugin that takes one) and claims.
func (d *dependencies) volume(v *corev1.VolumeSource) {
	switch {
	case v.ConfigMap != nil:
		d.add("ConfigMap", v.ConfigMap.Name)
	case v.Secret != nil:
		d.add("Secret", v.Secret.SecretName)
	case v.PersistentVolumeClaim != nil:
		d.add("PersistentVolumeClaim", v.PersistentVolumeClaim.ClaimName)
	case v.Projected != nil:
		for _, s := range v.Projected.Sources {
			if s.ConfigMap != nil {
				d.add("ConfigMap", s.ConfigMap.Name)
			}
			if s.Secret != nil {
				d.add("Secret", s.Secret.Name)
			}
		}
	case v.CSI != nil && v.CSI.NodePublishSecretRef != nil:
		d.add("Secret", v.CSI.NodePublishSecretRef.Name)
	case v.AzureFile != nil:
		d.add("Secret", v.AzureFile.SecretName)
	}
	if ref := secretRef(v); ref != nil {
		d.add("Secret", ref.Name)
	}
}

// secretRef is the Secret of the volume plugins that name one the same way.
func secretRef(v *corev1.VolumeSource) *corev1.LocalObjectReference {
	switch {
	case v.CephFS != nil:
		return v.CephFS.SecretRef
	case v.Cinder != nil:
		return v.Cinder.SecretRef
	case v.FlexVolume != nil:
		return v.FlexVolume.SecretRef
	case v.ISCSI != nil:
		return v.ISCSI.SecretRef
	case v.RBD != nil:
		return v.RBD.SecretRef
	case v.ScaleIO != nil:
		return v.ScaleIO.SecretRef
	case v.StorageOS != nil:
		return v.StorageOS.SecretRef
	}
	return nil
}
