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

package localcluster

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// Well-known topology labels that the fake nodes carry.
const (
	LabelRegion = "topology.kubernetes.io/region"
	LabelZone   = "topology.kubernetes.io/zone"
)

// MemberOptions shape a member cluster and its fake nodes.
type MemberOptions struct {
	// Name of the cluster.
	Name string
	// Region and Zone label every node (topology.kubernetes.io/...).
	Region, Zone string
	// Nodes is how many fake nodes to create.
	Nodes int
	// CPU, Memory and Pods are each node's capacity, such as "8", "32Gi",
	// "110".
	CPU, Memory, Pods string
}

func (o MemberOptions) validate() error {
	if o.Nodes < 0 {
		return fmt.Errorf("member %s: nodes must not be negative", o.Name)
	}
	for _, q := range []string{o.CPU, o.Memory, o.Pods} {
		if _, err := resource.ParseQuantity(q); err != nil {
			return fmt.Errorf("member %s: capacity %q: %w", o.Name, q, err)
		}
	}
	for _, l := range []string{o.Region, o.Zone} {
		if errs := validation.IsValidLabelValue(l); len(errs) > 0 {
			return fmt.Errorf("member %s: label value %q: %v", o.Name, l, errs)
		}
	}
	return nil
}

// ensureNodes creates the member's fake nodes (those missing) and waits
// until kwok reports every one Ready.
func (c *Cluster) ensureNodes(ctx context.Context, o MemberOptions) error {
	client, err := kubernetes.NewForConfig(c.Config)
	if err != nil {
		return err
	}
	for i := range o.Nodes {
		node := fakeNode(fmt.Sprintf("%s-node-%d", o.Name, i), o, i)
		_, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return err
		}
	}
	// Two minutes: several clusters may be starting at once on two cores.
	return wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 2*time.Minute, true, func(ctx context.Context) (bool, error) {
		nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, nil //nolint:nilerr // the API server may still be settling; retry
		}
		ready := 0
		for _, n := range nodes.Items {
			if isNodeReady(&n) {
				ready++
			}
		}
		return ready >= o.Nodes, nil
	})
}

// fakeNode is a Node that the kwok controller manages (the annotation says
// so) with the given capacity and topology. Its pod CIDR, which kwok gives
// pod IPs from, is unique to the member and node, so pods of different
// members do not share IPs, as in a flat multi-cluster network.
func fakeNode(name string, o MemberOptions, index int) *corev1.Node {
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse(o.CPU),
		corev1.ResourceMemory: resource.MustParse(o.Memory),
		corev1.ResourcePods:   resource.MustParse(o.Pods),
	}
	labels := map[string]string{
		"type":                   "kwok",
		"kubernetes.io/hostname": name,
		"kubernetes.io/os":       "linux",
		"kubernetes.io/arch":     "amd64",
		"kubernetes.io/role":     "agent",
	}
	if o.Region != "" {
		labels[LabelRegion] = o.Region
	}
	if o.Zone != "" {
		labels[LabelZone] = o.Zone
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Labels:      labels,
			Annotations: map[string]string{"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
		},
		Spec: corev1.NodeSpec{PodCIDR: podCIDR(o.Name, index), PodCIDRs: []string{podCIDR(o.Name, index)}},
		Status: corev1.NodeStatus{
			Capacity:    capacity,
			Allocatable: capacity,
			NodeInfo:    corev1.NodeSystemInfo{KubeletVersion: "fake", OperatingSystem: "linux", Architecture: "amd64"},
		},
	}
}

// podCIDR is a /24 of 10.0.0.0/8 picked by the member's name and the
// node's index: 10.<from the name>.<index>.0/24.
func podCIDR(member string, index int) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(member))
	return fmt.Sprintf("10.%d.%d.0/24", 16+h.Sum32()%224, index%256)
}

func isNodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
