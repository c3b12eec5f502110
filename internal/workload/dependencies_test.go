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
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDependencies(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{{
		name: "every reference of a Deployment's pods, once",
		text: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web-sa
      imagePullSecrets: [{name: registry}]
      initContainers:
      - name: init
        envFrom: [{configMapRef: {name: settings}}]
      containers:
      - name: app
        env:
        - {name: A, valueFrom: {configMapKeyRef: {name: settings, key: a}}}
        - {name: B, valueFrom: {secretKeyRef: {name: db, key: password}}}
        - {name: C, value: plain}
        envFrom: [{secretRef: {name: api-keys}}]
      volumes:
      - {name: v1, configMap: {name: files}}
      - {name: v2, secret: {secretName: tls}}
      - {name: v3, persistentVolumeClaim: {claimName: data}}
      - name: v4
        projected: {sources: [{configMap: {name: more}}, {secret: {name: certs}}]}
      - {name: v5, csi: {driver: x, nodePublishSecretRef: {name: csi-creds}}}
      - {name: v6, cephfs: {monitors: [m], secretRef: {name: ceph}}}
      - {name: v7, emptyDir: {}}
`,
		want: []string{
			"ConfigMap/files", "ConfigMap/more", "ConfigMap/settings",
			"PersistentVolumeClaim/data",
			"Secret/api-keys", "Secret/ceph", "Secret/certs", "Secret/csi-creds", "Secret/db", "Secret/registry", "Secret/tls",
			"ServiceAccount/web-sa",
		},
	}, {
		name: "a CronJob's job template; the default ServiceAccount is not one",
		text: `
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: default
          containers: [{name: c, envFrom: [{configMapRef: {name: batch}}]}]
`,
		want: []string{"ConfigMap/batch"},
	}, {
		name: "a Pod",
		text: `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers: [{name: c}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: scratch}}]
`,
		want: []string{"PersistentVolumeClaim/scratch"},
	}, {
		name: "an Ingress's TLS Secrets",
		text: `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: in, namespace: shop}
spec:
  tls: [{secretName: shop-tls}, {hosts: [a]}]
`,
		want: []string{"Secret/shop-tls"},
	}, {
		name: "a kind with no known references",
		text: `
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop}
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			obj := object(t, tc.text)
			deps, err := Dependencies(obj)
			require.NoError(t, err)
			var got []string
			for _, d := range deps {
				assert.Equal(t, "v1", d.APIVersion)
				assert.Equal(t, "shop", d.Namespace)
				got = append(got, d.Kind+"/"+d.Name)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want != nil, HasDependencies(obj.GetAPIVersion(), obj.GetKind()))
		})
	}
}
