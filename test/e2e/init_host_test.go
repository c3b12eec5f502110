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
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// TestInitIntoHostCluster deploys a control plane into a host cluster with
// "init" and removes it with "deinit". The host's nodes are kwok's, which
// run no containers, so the test plays the part of the pods that matter:
// it runs the pinned etcd and kube-apiserver binaries itself, with the
// certificates init generated and the flags of init's own manifests (only
// file paths and addresses changed), and points init at that API server.
// What is verified for real: the manifests apply and become ready, the
// certificates and flags make a working etcd and API server, the admin
// kubeconfig reaches it, the CRDs are installed, a second run changes
// nothing, and deinit removes everything.
func TestInitIntoHostCluster(t *testing.T) {
	opts := localcluster.MemberOptions{Name: "e2e-host", Region: "local", Zone: "local-a", Nodes: 1, CPU: "8", Memory: "16Gi", Pods: "110"}
	host, err := env.StartMember(t.Context(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = env.Delete(context.Background(), opts.Name) })
	hostClient, err := client.New(host.Config, client.Options{Scheme: scheme})
	require.NoError(t, err)
	kubeconfigOut := filepath.Join(t.TempDir(), "karmada-apiserver.config")
	endpointPort, err := freePort()
	require.NoError(t, err)
	endpoint := "https://" + endpointPort
	initArgs := []string{"--kubeconfig", host.Kubeconfig, "init", "--karmada-apiserver-endpoint", endpoint,
		"--karmada-kubeconfig", kubeconfigOut, "--timeout", "20s", "--etcd-data-path", ""}

	out, err := karmadaOn(t, append(initArgs, "--dry-run", "-o", "yaml")...)
	require.NoError(t, err)
	for _, kind := range []string{"Namespace", "Secret", "Service", "StatefulSet", "Deployment", "CustomResourceDefinition"} {
		assert.Contains(t, out, "\nkind: "+kind+"\n")
	}
	assert.Equal(t, 3, strings.Count(out, "\nkind: Deployment\n"), "apiserver, controller manager, controllers")
	// No key material in a dry run: "-----BEGIN" in base64, and the
	// client certificates' keys in the kubeconfigs.
	assert.NotContains(t, out, "LS0tLS1CRUdJT")
	assert.NotContains(t, out, "client-key-data")
	assert.Contains(t, out, "UkVEQUNURUQg", `"REDACTED " in base64, where each value was`)

	// First run: everything is deployed and ready in the host, but nothing
	// answers at the endpoint yet, and init says so.
	_, err = karmadaOn(t, initArgs...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), endpoint[len("https://"):])

	// Play the pods: etcd and kube-apiserver from their manifests.
	pkiDir := t.TempDir()
	secret := &corev1.Secret{}
	require.NoError(t, hostClient.Get(t.Context(), client.ObjectKey{Namespace: "karmada-system", Name: "karmada-pki"}, secret))
	for name, data := range secret.Data {
		require.NoError(t, os.WriteFile(filepath.Join(pkiDir, name), data, 0o600))
	}
	etcdSet := &appsv1.StatefulSet{}
	require.NoError(t, hostClient.Get(t.Context(), client.ObjectKey{Namespace: "karmada-system", Name: "karmada-etcd"}, etcdSet))
	apiServer := &appsv1.Deployment{}
	require.NoError(t, hostClient.Get(t.Context(), client.ObjectKey{Namespace: "karmada-system", Name: "karmada-apiserver"}, apiServer))
	bin, err := localcluster.EnsureBinaries(t.Context())
	require.NoError(t, err)
	etcdClient, etcdPeer, etcdMetrics := mustFreePort(t), mustFreePort(t), mustFreePort(t)
	etcdArgs := rewrite(etcdSet.Spec.Template.Spec.Containers[0].Args, pkiDir, map[string]string{
		"--data-dir":                    t.TempDir(),
		"--listen-client-urls":          "https://" + etcdClient,
		"--advertise-client-urls":       "https://" + etcdClient,
		"--listen-peer-urls":            "http://" + etcdPeer,
		"--initial-advertise-peer-urls": "http://" + etcdPeer,
		"--initial-cluster":             "karmada-etcd-0=http://" + etcdPeer,
		"--listen-metrics-urls":         "http://" + etcdMetrics,
	})
	startProcess(t, filepath.Join(bin, "etcd"), etcdArgs...)
	apiArgs := rewrite(apiServer.Spec.Template.Spec.Containers[0].Args, pkiDir, map[string]string{
		"--etcd-servers": "https://" + etcdClient,
		"--secure-port":  endpointPort[strings.LastIndex(endpointPort, ":")+1:],
		"--bind-address": "127.0.0.1",
	})
	startProcess(t, filepath.Join(bin, "kube-apiserver"), apiArgs...)

	// Second run: the host is unchanged, the control plane gets its CRDs
	// and namespaces, the controllers are deployed, the kubeconfig written.
	framework.Eventually(t, time.Minute, func(context.Context) (bool, string) {
		out, err = karmadaOn(t, initArgs...)
		return err == nil, fmt.Sprint(err)
	})
	assert.Contains(t, out, "The control plane is ready")
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfigOut)
	require.NoError(t, err)
	cpScheme := runtime.NewScheme()
	require.NoError(t, apiextensionsv1.AddToScheme(cpScheme))
	require.NoError(t, corev1.AddToScheme(cpScheme))
	cpClient, err := client.New(cfg, client.Options{Scheme: cpScheme})
	require.NoError(t, err)
	crd := &apiextensionsv1.CustomResourceDefinition{}
	require.NoError(t, cpClient.Get(t.Context(), client.ObjectKey{Name: "propagationpolicies.policy.karmada.io"}, crd), "the admin kubeconfig reaches the new API")
	require.NoError(t, cpClient.Get(t.Context(), client.ObjectKey{Name: "karmada-cluster"}, &corev1.Namespace{}))
	controllers := &appsv1.Deployment{}
	require.NoError(t, hostClient.Get(t.Context(), client.ObjectKey{Namespace: "karmada-system", Name: "karmada-controllers"}, controllers))
	assert.Contains(t, controllers.Spec.Template.Spec.Containers[0].Args, "--kubeconfig=/etc/karmada/kubeconfig/controllers.conf")

	// The controllers' own identity may do their work and no more.
	confs := &corev1.Secret{}
	require.NoError(t, hostClient.Get(t.Context(), client.ObjectKey{Namespace: "karmada-system", Name: "karmada-kubeconfig"}, confs))
	controllersCfg, err := clientcmd.RESTConfigFromKubeConfig(confs.Data["controllers.conf"])
	require.NoError(t, err)
	controllersCfg.Host = endpoint
	asControllers, err := kubernetes.NewForConfig(controllersCfg)
	require.NoError(t, err)
	// init got its answers as the administrator, whom RBAC does not
	// concern; the roles every user has come with the post-start hooks
	// /readyz waits for (a busy machine can be seconds behind).
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		_, err := asControllers.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err == nil, fmt.Sprint(err)
	})
	for _, tc := range []struct {
		attrs   authorizationv1.ResourceAttributes
		allowed bool
	}{
		{authorizationv1.ResourceAttributes{Group: "work.karmada.io", Resource: "resourcebindings", Verb: "create", Namespace: "default"}, true},
		{authorizationv1.ResourceAttributes{Group: "apps", Resource: "deployments", Verb: "update", Namespace: "default", Subresource: "status"}, true},
		{authorizationv1.ResourceAttributes{Resource: "secrets", Verb: "list", Namespace: "karmada-cluster"}, true},
		{authorizationv1.ResourceAttributes{Group: "apps", Resource: "deployments", Verb: "create", Namespace: "default"}, false},
		{authorizationv1.ResourceAttributes{Group: "rbac.authorization.k8s.io", Resource: "clusterroles", Verb: "escalate"}, false},
	} {
		review, err := asControllers.AuthorizationV1().SelfSubjectAccessReviews().Create(t.Context(),
			&authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &tc.attrs}}, metav1.CreateOptions{})
		require.NoError(t, err)
		assert.Equal(t, tc.allowed, review.Status.Allowed, "%s %s/%s", tc.attrs.Verb, tc.attrs.Group, tc.attrs.Resource)
	}

	// The controller manager's manifest works too: run it with its own
	// kubeconfig (the server moved to the endpoint); deleting a namespace
	// then finishes, which takes its namespace controller.
	confDir := t.TempDir()
	kcmConf, err := clientcmd.Load(confs.Data["controller-manager.conf"])
	require.NoError(t, err)
	for _, c := range kcmConf.Clusters {
		c.Server = endpoint
	}
	require.NoError(t, clientcmd.WriteToFile(*kcmConf, filepath.Join(confDir, "controller-manager.conf")))
	kcm := &appsv1.Deployment{}
	require.NoError(t, hostClient.Get(t.Context(), client.ObjectKey{Namespace: "karmada-system", Name: "karmada-kube-controller-manager"}, kcm))
	kcmArgs := rewrite(kcm.Spec.Template.Spec.Containers[0].Args, pkiDir, map[string]string{
		"--secure-port": mustFreePort(t)[len("127.0.0.1:"):], "--bind-address": "127.0.0.1",
	})
	for i, a := range kcmArgs {
		kcmArgs[i] = strings.ReplaceAll(a, "/etc/karmada/kubeconfig", confDir)
	}
	startProcess(t, filepath.Join(bin, "kube-controller-manager"), kcmArgs...)
	doomed := &corev1.Namespace{}
	doomed.Name = "doomed"
	require.NoError(t, cpClient.Create(t.Context(), doomed))
	require.NoError(t, cpClient.Delete(t.Context(), doomed))
	framework.Eventually(t, time.Minute, func(ctx context.Context) (bool, string) {
		err := cpClient.Get(ctx, client.ObjectKey{Name: "doomed"}, &corev1.Namespace{})
		return apierrors.IsNotFound(err), fmt.Sprint(err)
	})

	out, err = karmadaOn(t, initArgs...)
	require.NoError(t, err)
	assert.Contains(t, out, "already deployed and initialized; nothing changed")

	out, err = karmadaOn(t, "--kubeconfig", host.Kubeconfig, "deinit", "--yes", "--karmada-kubeconfig", kubeconfigOut)
	require.NoError(t, err)
	assert.Contains(t, out, "Removed namespace karmada-system")
	err = hostClient.Get(t.Context(), client.ObjectKey{Name: "karmada-system"}, &corev1.Namespace{})
	assert.True(t, apierrors.IsNotFound(err), "the namespace is gone: %v", err)
	_, err = os.Stat(kubeconfigOut)
	assert.True(t, os.IsNotExist(err), "the kubeconfig is gone")
}

// karmadaOn runs "kubectl karmada ARGS..." with the given flags only (no
// control-plane kubeconfig added).
func karmadaOn(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return karmadaArgs(t, args)
}

func mustFreePort(t *testing.T) string {
	t.Helper()
	addr, err := freePort()
	require.NoError(t, err)
	return addr
}

// rewrite takes a container's flags, moves the certificate files to dir
// and replaces the flags in set.
func rewrite(args []string, dir string, set map[string]string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		name, value, _ := strings.Cut(a, "=")
		if v, ok := set[name]; ok {
			value = v
		}
		value = strings.ReplaceAll(value, "/etc/karmada/pki", dir)
		out = append(out, name+"="+value)
	}
	return out
}

// startProcess runs a binary until the test ends.
func startProcess(t *testing.T, path string, args ...string) {
	t.Helper()
	log, err := os.Create(filepath.Join(t.TempDir(), filepath.Base(path)+".log"))
	require.NoError(t, err)
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = log.Close()
		if t.Failed() {
			if b, err := os.ReadFile(log.Name()); err == nil {
				t.Logf("%s log, last part:\n%s", filepath.Base(path), b[max(0, len(b)-3000):])
			}
		}
	})
}
