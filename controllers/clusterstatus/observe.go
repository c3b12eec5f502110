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

package clusterstatus

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/tools/pager"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

// probeTimeout bounds one health probe, so a hung member does not hold a
// worker for long.
const probeTimeout = 5 * time.Second

// observation is what one successful probe learned.
type observation struct {
	clusterv1alpha1.ClusterStatus
	apisCondition metav1.Condition
}

// observe probes the member's /readyz and, when it is healthy, reads its
// version, APIs, nodes and pods.
func (r *Reconciler) observe(ctx context.Context, cluster *clusterv1alpha1.Cluster) (*observation, error) {
	member, err := r.Members.For(ctx, cluster)
	if err != nil {
		return nil, err
	}
	probeCtx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var code int
	result := member.Kube.Discovery().RESTClient().Get().AbsPath("/readyz").Do(probeCtx).StatusCode(&code)
	if result.Error() != nil {
		return nil, fmt.Errorf("/readyz: %w", result.Error())
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("/readyz answered %d", code)
	}

	obs := &observation{}
	version, err := member.Kube.Discovery().ServerVersion()
	if err != nil {
		return nil, fmt.Errorf("reading the version: %w", err)
	}
	obs.KubernetesVersion = version.GitVersion

	obs.APIEnablements, obs.apisCondition = apiEnablements(member.Kube.Discovery())

	var nodes []corev1.Node
	err = pager.New(func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return member.Kube.CoreV1().Nodes().List(ctx, opts)
	}).EachListItem(ctx, metav1.ListOptions{}, func(obj runtime.Object) error {
		nodes = append(nodes, *obj.(*corev1.Node))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing nodes: %w", err)
	}
	// Pods are read page by page and only their requests are kept, so a
	// large member never sits whole in memory. Terminal pods hold no
	// resources; the server leaves them out.
	var pods []corev1.Pod
	err = pager.New(func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return member.Kube.CoreV1().Pods(metav1.NamespaceAll).List(ctx, opts)
	}).EachListItem(ctx, metav1.ListOptions{FieldSelector: "status.phase!=Succeeded,status.phase!=Failed"}, func(obj runtime.Object) error {
		p := obj.(*corev1.Pod)
		pods = append(pods, corev1.Pod{Spec: corev1.PodSpec{
			NodeName: p.Spec.NodeName, Containers: requestsOnly(p.Spec.Containers),
			InitContainers: requestsOnly(p.Spec.InitContainers), Overhead: p.Spec.Overhead,
		}})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing pods: %w", err)
	}
	obs.NodeSummary, obs.ResourceSummary = summarize(nodes, pods)
	return obs, nil
}

// apiEnablements lists what the member serves, sorted so that an unchanged
// member gives an unchanged status (and no write).
func apiEnablements(d discovery.DiscoveryInterface) ([]clusterv1alpha1.APIEnablement, metav1.Condition) {
	_, lists, err := d.ServerGroupsAndResources()
	cond := metav1.Condition{Type: clusterv1alpha1.ClusterConditionCompleteAPIEnablements, Status: metav1.ConditionTrue, Reason: "Complete", Message: "every API group was listed"}
	if err != nil {
		// Partial results are still worth keeping; say they are partial.
		cond.Status, cond.Reason, cond.Message = metav1.ConditionFalse, "Partial", err.Error()
	}
	out := make([]clusterv1alpha1.APIEnablement, 0, len(lists))
	for _, l := range lists {
		e := clusterv1alpha1.APIEnablement{GroupVersion: l.GroupVersion}
		for _, res := range l.APIResources {
			if strings.Contains(res.Name, "/") {
				continue // subresources such as deployments/status
			}
			e.Resources = append(e.Resources, clusterv1alpha1.APIResource{Name: res.Name, Kind: res.Kind})
		}
		sort.Slice(e.Resources, func(i, j int) bool { return e.Resources[i].Name < e.Resources[j].Name })
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GroupVersion < out[j].GroupVersion })
	return out, cond
}

// summarize counts nodes and sums resources: allocatable of Ready nodes,
// requests of scheduled pods (allocated) and of pending ones (allocating).
// The pod count is part of both sums, as a "pods" resource.
func summarize(nodes []corev1.Node, pods []corev1.Pod) (*clusterv1alpha1.NodeSummary, *clusterv1alpha1.ResourceSummary) {
	ns := &clusterv1alpha1.NodeSummary{TotalNum: int32(len(nodes))} //nolint:gosec // node counts fit in int32
	rs := &clusterv1alpha1.ResourceSummary{
		Allocatable: corev1.ResourceList{},
		Allocated:   corev1.ResourceList{},
		Allocating:  corev1.ResourceList{},
	}
	for i := range nodes {
		if !nodeReady(&nodes[i]) {
			continue
		}
		ns.ReadyNum++
		add(rs.Allocatable, nodes[i].Status.Allocatable)
	}
	for i := range pods {
		target := rs.Allocated
		if pods[i].Spec.NodeName == "" {
			target = rs.Allocating
		}
		add(target, workload.PodRequests(&pods[i].Spec))
		add(target, corev1.ResourceList{corev1.ResourcePods: *resource.NewQuantity(1, resource.DecimalSI)})
	}
	return ns, rs
}

// requestsOnly keeps of each container only its resource requests.
func requestsOnly(cs []corev1.Container) []corev1.Container {
	out := make([]corev1.Container, len(cs))
	for i, c := range cs {
		out[i].Resources.Requests = c.Resources.Requests
	}
	return out
}

func add(into, from corev1.ResourceList) {
	for name, q := range from {
		cur := into[name]
		cur.Add(q)
		into[name] = cur
	}
}

func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
