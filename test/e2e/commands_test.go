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
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/memberaccess"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/root"
	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
)

// karmada runs "kubectl karmada ARGS..." against the control plane and
// returns its output.
func karmada(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return karmadaArgs(t, append([]string{"--kubeconfig", controlPlane.Kubeconfig}, args...))
}

// karmadaArgs runs "kubectl karmada ARGS..." exactly as given and returns
// what it printed, stdout then stderr.
func karmadaArgs(t *testing.T, args []string) (string, error) {
	t.Helper()
	out, errOut, err := karmadaStreams(t, args)
	return out + errOut, err
}

// karmadaStreams runs "kubectl karmada ARGS..." and returns stdout and
// stderr apart, for tests of what goes where.
func karmadaStreams(t *testing.T, args []string) (string, string, error) {
	t.Helper()
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	cmd := root.NewCmdRoot(streams)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	// Not t.Context(): cleanups run commands too, after it is canceled.
	err := cmd.ExecuteContext(context.WithoutCancel(t.Context()))
	return out.String(), errOut.String(), err
}

// TestNotAControlPlane: pointed at a member by mistake, a command says
// what is wrong instead of a discovery error.
func TestNotAControlPlane(t *testing.T) {
	for _, args := range [][]string{{"get", "clusters"}, {"get", "bindings", "-A"}, {"cordon", "e2e-m1"}} {
		_, err := karmadaArgs(t, append([]string{"--kubeconfig", members["e2e-m1"].Kubeconfig}, args...))
		require.ErrorContains(t, err, "this is not a kubectl-karmada control plane (no ", "%v", args)
		require.ErrorContains(t, err, `run "kubectl karmada init"`)
	}
}

// TestNotJoinedIsSaid: a cluster name that is not joined (a typo) is
// said by propagate, in the binding, and by explain-placement.
func TestNotJoinedIsSaid(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "typo")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 2)))
	_, errOut, err := karmadaStreams(t, []string{"--kubeconfig", controlPlane.Kubeconfig, "-n", ns, "propagate", "deployment/web", "--clusters", "e2e-m1,e2e-m9"})
	require.NoError(t, err)
	assert.Contains(t, errOut, "Warning: not joined: e2e-m9 (joined: e2e-m1, e2e-m2, e2e-m3)")
	rb := fw.Scheduled(t, ns, "web")
	assert.Contains(t, meta.FindStatusCondition(rb.Status.Conditions, workv1alpha2.Scheduled).Message, "not joined, though the policy names them: e2e-m9")
	out, err := karmada(t, "-n", ns, "explain-placement", "deployment/web")
	require.NoError(t, err)
	assert.Contains(t, out, "Not joined: e2e-m9")
}

// TestOnlyProblemsGoToStderr: what a script reads (tables, -o yaml, the
// result of a change) is on stdout, and stderr stays empty when all went
// well.
func TestOnlyProblemsGoToStderr(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "streams")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 1)))
	for _, args := range [][]string{
		{"get", "clusters"},
		{"get", "clusters", "-o", "yaml"},
		{"-n", ns, "propagate", "deployment/web", "--clusters", "e2e-m1"},
		{"-n", ns, "get", "bindings"},
		{"version", "-o", "json"},
	} {
		out, errOut, err := karmadaStreams(t, append([]string{"--kubeconfig", controlPlane.Kubeconfig}, args...))
		require.NoError(t, err, "%v", args)
		assert.NotEmpty(t, out, "%v prints its result on stdout", args)
		assert.Empty(t, errOut, "%v: nothing on stderr", args)
	}
}

func TestJoinRejectsBadInput(t *testing.T) {
	m1Config := members["e2e-m1"].Kubeconfig

	out, err := karmada(t, "join", "e2e-m1", "--cluster-kubeconfig", m1Config)
	require.NoError(t, err)
	assert.Contains(t, out, "already joined; nothing changed")

	_, err = karmada(t, "join", "again", "--cluster-kubeconfig", m1Config)
	require.ErrorContains(t, err, "already joined as e2e-m1")

	_, err = karmada(t, "join", "e2e-m2", "--cluster-kubeconfig", m1Config)
	require.ErrorContains(t, err, "a different cluster is already joined as e2e-m2")

	_, err = karmada(t, "join", "Not_A_Label", "--cluster-kubeconfig", m1Config)
	require.ErrorContains(t, err, "is not a DNS label")

	// A member nobody answers for: a copy of a kubeconfig with a dead port.
	data, err := os.ReadFile(m1Config)
	require.NoError(t, err)
	cfg := map[string]any{}
	require.NoError(t, yaml.Unmarshal(data, &cfg))
	addr, err := freePort()
	require.NoError(t, err)
	cfg["clusters"].([]any)[0].(map[string]any)["cluster"].(map[string]any)["server"] = "https://" + addr
	dead := filepath.Join(t.TempDir(), "dead.yaml")
	data, err = yaml.Marshal(cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dead, data, 0o600))
	_, err = karmada(t, "join", "ghost", "--cluster-kubeconfig", dead, "--timeout", "3s")
	require.ErrorContains(t, err, "is not reachable")

	// Nothing was half-created by any of these.
	for _, name := range []string{"again", "Not_A_Label", "ghost"} {
		err := cp.Get(t.Context(), client.ObjectKey{Name: strings.ToLower(name)}, &clusterv1alpha1.Cluster{})
		assert.True(t, apierrors.IsNotFound(err), "cluster %s: %v", name, err)
		err = cp.Get(t.Context(), client.ObjectKey{Namespace: names.ClusterNamespace, Name: strings.ToLower(name)}, &corev1.Secret{})
		assert.True(t, apierrors.IsNotFound(err), "secret %s: %v", name, err)
	}
}

// TestUnjoinAndJoinAgain unjoins a member: what was propagated to it
// leaves it, the Cluster and its credentials go, and the same workload
// comes back when the member joins again.
func TestUnjoinAndJoinAgain(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "unjoin")
	empty := framework.TestNamespace(t, cp, "unjoin-empty")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 1)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "web", []string{"e2e-m3"}, nil)))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m3": 1})

	out, err := karmada(t, "unjoin", "e2e-m3", "--cluster-kubeconfig", members["e2e-m3"].Kubeconfig)
	require.NoError(t, err, out)
	assert.Contains(t, out, "Cluster e2e-m3 unjoined.")
	t.Cleanup(func() {
		// Later tests need the member; join it again whatever happened.
		if cp.Get(context.Background(), client.ObjectKey{Name: "e2e-m3"}, &clusterv1alpha1.Cluster{}) != nil {
			_ = joinMember(context.Background(), memberOptions[2])
		}
	})

	err = m3.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web"}, &appsv1.Deployment{})
	assert.True(t, apierrors.IsNotFound(err), "the copy must leave the member: %v", err)
	assert.True(t, apierrors.IsNotFound(cp.Get(t.Context(), client.ObjectKey{Name: "e2e-m3"}, &clusterv1alpha1.Cluster{})))
	assert.True(t, apierrors.IsNotFound(cp.Get(t.Context(), client.ObjectKey{Namespace: names.ClusterNamespace, Name: "e2e-m3"}, &corev1.Secret{})))
	assert.True(t, apierrors.IsNotFound(m3.Get(t.Context(), client.ObjectKey{Namespace: names.ClusterNamespace, Name: names.MemberAccount("e2e-m3")}, &corev1.ServiceAccount{})))
	for _, obj := range []client.Object{&rbacv1.ClusterRole{}, &rbacv1.ClusterRoleBinding{}} {
		assert.True(t, apierrors.IsNotFound(m3.Get(t.Context(), client.ObjectKey{Name: names.MemberClusterRole("e2e-m3")}, obj)), "%T left", obj)
	}
	assert.True(t, apierrors.IsNotFound(m3.Get(t.Context(), client.ObjectKey{Name: memberaccess.SecretsRoleName("e2e-m3")}, &rbacv1.ClusterRole{})))
	assert.True(t, apierrors.IsNotFound(m3.Get(t.Context(), client.ObjectKey{Name: memberaccess.GuardName("e2e-m3")}, &admissionregistrationv1.ValidatingAdmissionPolicy{})))

	_, err = karmada(t, "unjoin", "e2e-m3")
	require.ErrorContains(t, err, "cluster e2e-m3 is not joined")

	require.NoError(t, joinMember(t.Context(), memberOptions[2]))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m3": 1})
	expectNamespace(t, "e2e-m3", empty, true) // a joiner gets every namespace, used or not

	// With --keep-resources the copy stays running in the member.
	out, err = karmada(t, "unjoin", "e2e-m3", "--keep-resources")
	require.NoError(t, err, out)
	assert.Contains(t, out, "stay in the member", "without --cluster-kubeconfig the account is left, and it says so")
	require.NoError(t, m3.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web"}, &appsv1.Deployment{}))
	require.NoError(t, joinMember(t.Context(), memberOptions[2]))
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m3": 1})
}

func TestPropagateAndGet(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "cli")
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "web", 4)))

	out, err := karmada(t, "propagate", "deployment/web", "-n", ns, "--weights", "e2e-m1=1,e2e-m2=3", "--dry-run=client", "-o", "yaml")
	require.NoError(t, err, out)
	printed := &policyv1alpha1.PropagationPolicy{}
	require.NoError(t, yaml.UnmarshalStrict([]byte(out), printed))
	assert.Equal(t, "web-deployment", printed.Name)
	assert.True(t, apierrors.IsNotFound(cp.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "web-deployment"}, &policyv1alpha1.PropagationPolicy{})),
		"a client dry run writes nothing")

	out, err = karmada(t, "propagate", "deployment/web", "-n", ns, "--weights", "e2e-m1=1,e2e-m2=3")
	require.NoError(t, err, out)
	assert.Contains(t, out, "propagationpolicy.policy.karmada.io/web-deployment written")
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 1, "e2e-m2": 3})

	// Running it again with other flags updates the same policy.
	_, err = karmada(t, "propagate", "deployment/web", "-n", ns, "--clusters", "e2e-m1,e2e-m3", "--duplicated")
	require.NoError(t, err)
	fw.ExpectReplicas(t, ns, "web", map[string]int32{"e2e-m1": 4, "e2e-m3": 4})

	_, err = karmada(t, "propagate", "deployment/missing", "-n", ns, "--clusters", "e2e-m1")
	require.ErrorContains(t, err, "not found")
	_, err = karmada(t, "propagate", "deployment/web", "-n", ns, "--weights", "e2e-m1=0")
	require.ErrorContains(t, err, "at least 1")
	_, err = karmada(t, "propagate", "deployment/web", "-n", ns, "--divided", "--duplicated")
	require.ErrorContains(t, err, "only one of")

	out, err = karmada(t, "get", "bindings", "-n", ns, "-o", "wide")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	assert.Equal(t, []string{"NAME", "RESOURCE", "POLICY", "DESIRED", "CLUSTERS", "SCHEDULED", "APPLIED", "READY", "NOT", "CHOSEN", "MESSAGE", "AGE"}, strings.Fields(lines[0]))
	fields := strings.Fields(lines[1])
	assert.Equal(t, []string{"web-deployment", "Deployment/web", "web-deployment", "4", "e2e-m1:4,e2e-m3:4", "True", "True", "e2e-m1:4,e2e-m3:4", "e2e-m2(ClusterAffinity)", "-"}, fields[:10])

	out, err = karmada(t, "get", "clusters")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^e2e-m2\s+v1\.34\.4\s+Push\s+True\s+2/2\s+\S+/8\.0 \(\d+%\)\s+\S+Gi/32\.0Gi`, out)

	out, err = karmada(t, "get", "clusters", "e2e-m3", "-o", "wide")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^e2e-m3\s.*\seu-west\s+eu-west-1a\s`, out)

	out, err = karmada(t, "get", "clusters", "-o", "json")
	require.NoError(t, err)
	list := &clusterv1alpha1.ClusterList{}
	require.NoError(t, yaml.Unmarshal([]byte(out), list))
	assert.GreaterOrEqual(t, len(list.Items), 3)

	_, err = karmada(t, "get", "pods")
	require.ErrorContains(t, err, "unknown type")
}

func TestInitIsIdempotent(t *testing.T) {
	out, err := karmada(t, "init", "--control-plane-kubeconfig", controlPlane.Kubeconfig)
	require.NoError(t, err)
	assert.Contains(t, out, "already initialized; nothing changed")

	out, err = karmada(t, "init", "--control-plane-kubeconfig", controlPlane.Kubeconfig, "--dry-run", "-o", "yaml")
	require.NoError(t, err)
	assert.Equal(t, 16, strings.Count(out, "\nkind: "), "10 CRDs, 2 namespaces, the controllers' admission guard and its binding, ClusterRole and its binding")

	_, err = karmada(t, "init", "--apiserver-service-type", "Ingress")
	require.ErrorContains(t, err, "use NodePort, LoadBalancer or ClusterIP")
	_, err = karmada(t, "init", "--apiserver-node-port", "80")
	require.ErrorContains(t, err, "between 30000 and 32767")
}

// TestCordonAndTaint checks cordon keeps new placements away while what
// runs stays, and a NoExecute taint moves replicas to the other members.
func TestCordonAndTaint(t *testing.T) {
	ns := framework.TestNamespace(t, cp, "cordon")
	t.Cleanup(func() {
		_, _ = karmada(t, "uncordon", "e2e-m2")
		_, _ = karmada(t, "taint", "e2e-m2", "maintenance-")
	})
	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "before", 1)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "before", []string{"e2e-m1", "e2e-m2"}, nil)))
	fw.ExpectReplicas(t, ns, "before", map[string]int32{"e2e-m1": 1, "e2e-m2": 1})

	out, err := karmada(t, "cordon", "e2e-m2")
	require.NoError(t, err)
	assert.Contains(t, out, "cluster/e2e-m2 cordoned")
	out, err = karmada(t, "cordon", "e2e-m2")
	require.NoError(t, err)
	assert.Contains(t, out, "unchanged")

	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "after", 1)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "after", []string{"e2e-m1", "e2e-m2"}, nil)))
	fw.ExpectReplicas(t, ns, "after", map[string]int32{"e2e-m1": 1})
	fw.ExpectReplicas(t, ns, "before", map[string]int32{"e2e-m1": 1, "e2e-m2": 1})

	_, err = karmada(t, "uncordon", "e2e-m2")
	require.NoError(t, err)
	fw.ExpectReplicas(t, ns, "after", map[string]int32{"e2e-m1": 1, "e2e-m2": 1})

	require.NoError(t, cp.Create(t.Context(), framework.Nginx(ns, "split", 4)))
	require.NoError(t, cp.Create(t.Context(), framework.Policy(ns, "split", []string{"e2e-m1", "e2e-m2"}, framework.Weights(map[string]int64{"e2e-m1": 1, "e2e-m2": 1}))))
	fw.ExpectReplicas(t, ns, "split", map[string]int32{"e2e-m1": 2, "e2e-m2": 2})
	_, err = karmada(t, "taint", "e2e-m2", "maintenance:Sometimes")
	require.ErrorContains(t, err, `taint "maintenance:Sometimes": the effect must be NoSchedule, PreferNoSchedule or NoExecute`)
	_, err = karmada(t, "taint", "e2e-m2", "maintenance:NoExecute")
	require.NoError(t, err)
	fw.ExpectReplicas(t, ns, "split", map[string]int32{"e2e-m1": 4})
}

// TestCompletionNamesClusters: cobra's completion protocol, which kubectl
// uses through kubectl_complete-karmada, offers the joined clusters where a
// command or --clusters takes them, and the kubeconfig's contexts.
func TestCompletionNamesClusters(t *testing.T) {
	out, err := karmada(t, "__complete", "cordon", "")
	require.NoError(t, err)
	for _, m := range []string{"e2e-m1", "e2e-m2", "e2e-m3"} {
		assert.Contains(t, out, m+"\n")
	}

	out, err = karmada(t, "__complete", "unjoin", "e2e-m1", "")
	require.NoError(t, err)
	assert.NotContains(t, out, "e2e-m1\n", "a cluster already given is not offered again")
	assert.Contains(t, out, "e2e-m2\n")

	out, err = karmada(t, "__complete", "propagate", "deployment/web", "--clusters", "e2e-m1,")
	require.NoError(t, err)
	assert.Contains(t, out, "e2e-m1,e2e-m2\n")
	assert.NotContains(t, out, "e2e-m1,e2e-m1")

	out, err = karmada(t, "__complete", "get", "clusters", "--context", "")
	require.NoError(t, err)
	kc, err := clientcmd.LoadFromFile(controlPlane.Kubeconfig)
	require.NoError(t, err)
	for name := range kc.Contexts {
		assert.Contains(t, out, name+"\n")
	}
}
