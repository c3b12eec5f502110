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

package kinde2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

// TestNoPacketLeavesTheMachine: the clusters' only network is internal, and
// each node refuses what would otherwise be routed out before kube-proxy
// knows a Service. Nothing here sends a packet off the machine: the checks
// ask the routing table, and the one request goes to an address the node
// guard refuses.
func TestNoPacketLeavesTheMachine(t *testing.T) {
	ctx := context.Background()
	out, err := exec.CommandContext(ctx, "docker", "network", "inspect", "-f", "{{.Internal}}", "kubectl-karmada").Output()
	require.NoError(t, err)
	assert.Equal(t, "true", strings.TrimSpace(string(out)), "the clusters' network must be internal")

	for _, o := range fleet {
		node := o.Name + "-control-plane"
		// An address of the public internet: the kernel must have no route
		// for it (ip route get sends nothing).
		route, err := exec.CommandContext(ctx, "docker", "exec", node, "ip", "route", "get", "192.0.2.1").CombinedOutput()
		require.Error(t, err, "%s has a route off the machine: %s", node, route)
		// An unused pod address of the guarded range is unreachable too.
		route, err = exec.CommandContext(ctx, "docker", "exec", node, "ip", "route", "get", "10.250.0.9").CombinedOutput()
		require.Error(t, err, "%s routes an unowned pod address: %s", node, route)
	}

	m := members[0]
	kube := kubes[m.Name]
	ensureNamespace(ctx, t, kube, "kind-guard")
	unused := fmt.Sprintf("http://10.%d.255.254/", 96+m.Index)
	log, ok := runHello(ctx, t, kube, "kind-guard", "unused-service-ip", "get", unused, "2")
	assert.False(t, ok, "a request to an unused Service IP was answered: %s", log)
	// Refused by the node at once (no route, or the guard's reject), never
	// a timeout: a timeout would mean the packet went somewhere.
	assert.Regexp(t, `network is unreachable|connection refused|no route to host`, log)
	assert.NotContains(t, log, "Timeout")
}

// TestControlPlaneRunsAsPods: init deployed etcd, the API server, the
// controller manager and karmada-controllers as pods of the host cluster,
// all Ready, from the images built here; the members joined and are Ready.
func TestControlPlaneRunsAsPods(t *testing.T) {
	ctx := context.Background()
	host := kubes[hostName]
	pods, err := host.CoreV1().Pods("karmada-system").List(ctx, metav1.ListOptions{})
	require.NoError(t, err)
	images := map[string]bool{}
	for _, p := range pods.Items {
		assert.True(t, podReady(&p), "pod %s is not Ready: %s", p.Name, p.Status.Phase)
		for _, c := range p.Spec.Containers {
			images[c.Image] = true
		}
		// init starts each component once what it needs is ready, so none
		// crash-loops on the way.
		for _, c := range p.Status.ContainerStatuses {
			assert.Zero(t, c.RestartCount, "%s of pod %s restarted", c.Name, p.Name)
		}
	}
	for _, want := range []string{"registry.k8s.io/etcd:3.5.21-0", "registry.k8s.io/kube-apiserver:v1.34.4",
		"registry.k8s.io/kube-controller-manager:v1.34.4", controllersImage} {
		assert.True(t, images[want], "no pod runs %s (images: %v)", want, images)
	}

	// The controllers' log is real: read through the kubelet.
	ctrl, err := host.CoreV1().Pods("karmada-system").List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=karmada-controllers"})
	require.NoError(t, err)
	require.NotEmpty(t, ctrl.Items)
	logs, err := host.CoreV1().Pods("karmada-system").GetLogs(ctrl.Items[0].Name, &corev1.PodLogOptions{}).DoRaw(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, logs)

	waitFor(t, 2*time.Minute, "members Ready", func(ctx context.Context) (bool, string) {
		out, err := karmada(ctx, "get", "clusters", "--kubeconfig", controlPlane)
		if err != nil {
			return false, out
		}
		for _, m := range members {
			if !strings.Contains(lineOf(out, m.Name), "True") {
				return false, out
			}
		}
		return true, out
	})
}

func lineOf(text, prefix string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix+" ") {
			return line
		}
	}
	return ""
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// helloObjects are the hello Deployment and its Service.
func helloObjects(namespace string, replicas int32) (*appsv1.Deployment, *corev1.Service) {
	labels := map[string]string{"app": "hello"}
	deploy := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: namespace},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "hello", Image: helloImage, ImagePullPolicy: corev1.PullNever,
					Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}},
					Env: []corev1.EnvVar{
						{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
						{Name: "NODE_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.nodeName"}}},
					},
					ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(8080)}}, PeriodSeconds: 2},
				}}},
			},
		},
	}
	svc := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: namespace},
		Spec: corev1.ServiceSpec{
			Selector: labels,
			Ports:    []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromString("http")}},
		},
	}
	return deploy, svc
}

// create makes the hello objects on the control plane as a user's apply
// would; on a kept fleet they may exist already.
func create(ctx context.Context, t *testing.T, cp kubernetes.Interface, deploy *appsv1.Deployment, svc *corev1.Service) {
	t.Helper()
	_, err := cp.AppsV1().Deployments(deploy.Namespace).Create(ctx, deploy, metav1.CreateOptions{})
	if !apierrors.IsAlreadyExists(err) {
		require.NoError(t, err)
	}
	_, err = cp.CoreV1().Services(svc.Namespace).Create(ctx, svc, metav1.CreateOptions{})
	if !apierrors.IsAlreadyExists(err) {
		require.NoError(t, err)
	}
}

// TestPropagatedPodsRunAndTrafficCrossesClusters is the whole path on real
// containers: a Deployment and Service applied to the control plane run as
// pods in member1 and member2, the template's status is the members' sum,
// the Service exported from both is imported into member3, and a pod there
// gets answers from pods in both clusters through the ClusterSetIP; once
// member2 stops exporting, only member1 answers.
func TestPropagatedPodsRunAndTrafficCrossesClusters(t *testing.T) {
	ctx := context.Background()
	const ns = "kind-hello"
	m1, m2, m3 := members[0].Name, members[1].Name, members[2].Name
	cp := controlPlaneClient(t)
	ensureNamespace(ctx, t, cp, ns)
	// Namespace sameness: the importing member has the namespace too.
	ensureNamespace(ctx, t, kubes[m3], ns)
	deploy, svc := helloObjects(ns, 4)
	create(ctx, t, cp, deploy, svc)
	out, err := karmada(ctx, "--kubeconfig", controlPlane, "-n", ns, "propagate", "deployment/hello", "--weights", m1+"=1,"+m2+"=1")
	require.NoError(t, err, out)
	out, err = karmada(ctx, "--kubeconfig", controlPlane, "-n", ns, "propagate", "service/hello", "--clusters", m1+","+m2)
	require.NoError(t, err, out)

	for _, m := range []string{m1, m2} {
		waitFor(t, 3*time.Minute, "2 hello pods running in "+m, func(ctx context.Context) (bool, string) {
			d, err := kubes[m].AppsV1().Deployments(ns).Get(ctx, "hello", metav1.GetOptions{})
			if err != nil {
				return false, err.Error()
			}
			return d.Status.ReadyReplicas == 2, fmt.Sprintf("ready %d of %d", d.Status.ReadyReplicas, ptr.Deref(d.Spec.Replicas, 0))
		})
	}
	waitFor(t, time.Minute, "the template's status sums the members'", func(ctx context.Context) (bool, string) {
		d, err := cp.AppsV1().Deployments(ns).Get(ctx, "hello", metav1.GetOptions{})
		if err != nil {
			return false, err.Error()
		}
		return d.Status.ReadyReplicas == 4 && d.Status.AvailableReplicas == 4, fmt.Sprintf("%+v", d.Status)
	})
	_, err = kubes[m3].AppsV1().Deployments(ns).Get(ctx, "hello", metav1.GetOptions{})
	assert.True(t, apierrors.IsNotFound(err), "member3 got the Deployment although the policy names only member1 and member2: %v", err)

	out, err = karmada(ctx, "--kubeconfig", controlPlane, "-n", ns, "export", "svc/hello")
	require.NoError(t, err, out)
	ip := importedIP(ctx, t, kubes[m3], ns, m1+" "+m2)

	url := fmt.Sprintf("http://%s/", ip)
	waitFor(t, 2*time.Minute, "answers from both exporters through the ClusterSetIP", func(ctx context.Context) (bool, string) {
		log, _ := runHello(ctx, t, kubes[m3], ns, "client", "get", url, "20")
		got := answersByCluster(log)
		return got[m1] > 0 && got[m2] > 0 && got["error"] == 0, log
	})

	// member2 stops exporting: only member1 answers from then on.
	out, err = karmada(ctx, "--kubeconfig", controlPlane, "-n", ns, "export", "svc/hello", "--clusters", m1)
	require.NoError(t, err, out)
	importedIP(ctx, t, kubes[m3], ns, m1)
	waitFor(t, 2*time.Minute, "answers only from member1 after member2 withdrew", func(ctx context.Context) (bool, string) {
		log, _ := runHello(ctx, t, kubes[m3], ns, "client", "get", url, "20")
		got := answersByCluster(log)
		return got[m1] == 20, log
	})
}

// importedIP waits until the member imports the service from exactly the
// given clusters (space-separated, sorted) and returns its ClusterSetIP.
func importedIP(ctx context.Context, t *testing.T, kube kubernetes.Interface, ns, from string) string {
	t.Helper()
	ip := ""
	waitFor(t, 2*time.Minute, "ServiceImport from "+from, func(ctx context.Context) (bool, string) {
		raw, err := kube.Discovery().RESTClient().Get().
			AbsPath("/apis/multicluster.x-k8s.io/v1alpha1/namespaces", ns, "serviceimports", "hello").DoRaw(ctx)
		if err != nil {
			return false, err.Error()
		}
		var imp struct {
			Spec struct {
				IPs []string `json:"ips"`
			} `json:"spec"`
			Status struct {
				Clusters []struct {
					Cluster string `json:"cluster"`
				} `json:"clusters"`
			} `json:"status"`
		}
		if err := yaml.Unmarshal(raw, &imp); err != nil {
			return false, err.Error()
		}
		var names []string
		for _, c := range imp.Status.Clusters {
			names = append(names, c.Cluster)
		}
		if len(imp.Spec.IPs) > 0 {
			ip = imp.Spec.IPs[0]
		}
		return strings.Join(names, " ") == from && ip != "", string(raw)
	})
	return ip
}

func controlPlaneClient(t *testing.T) kubernetes.Interface {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", controlPlane)
	require.NoError(t, err)
	kube, err := kubernetes.NewForConfig(cfg)
	require.NoError(t, err)
	return kube
}

// TestDeinitLeavesNothingBehind runs last: deinit removes the control plane
// from the host cluster, which then holds exactly what it held before init,
// and the kubeconfig init wrote.
func TestDeinitLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	if slices.Contains(hostBefore, "namespace/karmada-system") {
		t.Skip("the host cluster was kept from an earlier run with the control plane in it (KARMADA_KIND_KEEP)")
	}
	out, err := karmada(ctx, "deinit", "--kubeconfig", clusters[hostName].Kubeconfig, "--karmada-kubeconfig", controlPlane, "--yes")
	require.NoError(t, err, out)
	// deinit cannot reach into the node; it says where etcd's data stays.
	assert.Regexp(t, `etcd's data stays in /var/lib/karmada-etcd/[0-9a-f]{12} on node `+hostName+`-control-plane`, out)
	waitFor(t, 3*time.Minute, "the host cluster as it was before init", func(ctx context.Context) (bool, string) {
		now, err := hostObjects(ctx)
		if err != nil {
			return false, err.Error()
		}
		return slices.Equal(now, hostBefore), fmt.Sprintf("before init %v\nnow %v", hostBefore, now)
	})
	_, err = os.Stat(controlPlane)
	assert.True(t, os.IsNotExist(err), "deinit keeps %s", controlPlane)
}

// TestInitAfterDeinitStartsEmpty: a new init into the same host gets a new
// etcd folder, so the removed control plane's members (and their
// credentials) do not come back.
func TestInitAfterDeinitStartsEmpty(t *testing.T) {
	ctx := context.Background()
	if slices.Contains(hostBefore, "namespace/karmada-system") {
		t.Skip("the host cluster was kept from an earlier run with the control plane in it (KARMADA_KIND_KEEP)")
	}
	out, err := karmada(ctx, "init", "--kubeconfig", clusters[hostName].Kubeconfig,
		"--controllers-image", controllersImage, "--karmada-kubeconfig", controlPlane)
	require.NoError(t, err, out)
	out, err = karmada(ctx, "get", "clusters", "--kubeconfig", controlPlane)
	require.NoError(t, err, out)
	for _, m := range members {
		assert.NotContains(t, out, m.Name, "a member of the removed control plane came back")
	}
	out, err = karmada(ctx, "deinit", "--kubeconfig", clusters[hostName].Kubeconfig, "--karmada-kubeconfig", controlPlane, "--yes")
	require.NoError(t, err, out)
}
