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
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/tools/clientcmd"
	kindconfig "sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	kindcluster "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
	"sigs.k8s.io/kind/pkg/log"
)

// KindNetwork is the Docker network every kind cluster of ours joins. It is
// created --internal: Docker gives it no route off this machine, so
// nothing a cluster sends can leave it. The API servers are reached at
// their nodes' addresses on it, since an internal network publishes no
// ports.
const KindNetwork = "kubectl-karmada"

// kindNetworkSubnet is the network's address range, fixed so that the
// nodes' addresses never overlap the clusters' pod and Service ranges.
const kindNetworkSubnet = "172.30.0.0/16"

// The ranges every kind cluster takes its own /16 from, by its Index. The
// node image's network guard (test/kind/node/network-guard.sh) refuses
// anything in them that no cluster routes, so both must stay in step.
const (
	kindPodRangeBase     = 240 // 10.240.0.0/12
	kindServiceRangeBase = 96  // 10.96.0.0/12
	kindMaxClusters      = 16
)

// KindEnv creates kind clusters (real nodes: kubelet and containerd in a
// privileged Docker container, real pods) from a node image built offline
// by test/kind/node-image.sh. Each cluster is one node with its own pod
// and Service ranges, on one internal Docker network; Connect adds the
// routes that let pods of one cluster reach pods of another, as a flat
// multi-cluster network would.
type KindEnv struct {
	// Image is the node image.
	Image string
	// WorkDir holds the kubeconfigs and the CNI configuration of each cluster.
	WorkDir string

	provider *kindcluster.Provider
}

// KindOptions shape one kind cluster.
type KindOptions struct {
	// Name of the cluster; its node is the container <Name>-control-plane.
	Name string
	// Index picks the cluster's pod range 10.(240+Index).0.0/16 and
	// Service range 10.(96+Index).0.0/16; unique within the environment.
	Index int
	// Region and Zone label the node (topology.kubernetes.io/...).
	Region, Zone string
}

// NewKindEnv returns an environment that keeps its files in workDir and
// makes sure the internal Docker network exists.
func NewKindEnv(ctx context.Context, image, workDir string) (*KindEnv, error) {
	abs, err := filepath.Abs(workDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(abs, "kubeconfigs"), 0o700); err != nil {
		return nil, err
	}
	if err := ensureInternalNetwork(ctx); err != nil {
		return nil, err
	}
	// kind reads the network to use from its environment, nowhere else.
	if err := os.Setenv("KIND_EXPERIMENTAL_DOCKER_NETWORK", KindNetwork); err != nil {
		return nil, err
	}
	p := kindcluster.NewProvider(kindcluster.ProviderWithDocker(), kindcluster.ProviderWithLogger(log.NoopLogger{}))
	return &KindEnv{Image: image, WorkDir: abs, provider: p}, nil
}

// ensureInternalNetwork creates the network, or checks that the one found
// is internal (kind would otherwise create, or reuse, a network with a route
// out), and lets traffic stay inside it.
func ensureInternalNetwork(ctx context.Context) error {
	out, err := docker(ctx, "network", "inspect", "-f", "{{.Internal}}", KindNetwork)
	if err == nil && strings.TrimSpace(string(out)) != "true" {
		return fmt.Errorf("docker network %s exists but is not internal: remove it (docker network rm %s)", KindNetwork, KindNetwork)
	}
	if err != nil {
		_, err = docker(ctx, "network", "create", "--internal", "--subnet", kindNetworkSubnet,
			"--opt", "com.docker.network.bridge.name="+kindBridge, KindNetwork)
		if err != nil {
			return err
		}
	}
	bridge, err := docker(ctx, "network", "inspect", "-f",
		`{{with index .Options "com.docker.network.bridge.name"}}{{.}}{{else}}br-{{printf "%.12s" .Id}}{{end}}`, KindNetwork)
	if err != nil {
		return err
	}
	return allowWithinBridge(ctx, strings.TrimSpace(string(bridge)))
}

// kindBridge names the Linux bridge of the network on the Docker host.
const kindBridge = "br-karmada-kind"

// allowWithinBridge lets packets that stay on the network's bridge through
// the host's firewall. Docker drops, on an internal network, every packet
// whose source or destination is outside the network's own range; with
// bridge netfilter on, that includes packets from one node to another that
// carry pod addresses, which is how pods of one cluster reach pods (and API
// servers) of another. Packets that enter and leave by the same bridge
// never leave the machine, so accepting them first keeps the rule.
func allowWithinBridge(ctx context.Context, bridge string) error {
	rule := []string{"DOCKER-USER", "-i", bridge, "-o", bridge, "-j", "ACCEPT"}
	if exec.CommandContext(ctx, "iptables", append([]string{"-C"}, rule...)...).Run() == nil {
		return nil
	}
	if out, err := exec.CommandContext(ctx, "iptables", append([]string{"-I"}, rule...)...).CombinedOutput(); err != nil {
		return fmt.Errorf("letting pods of one kind cluster reach another needs, on the Docker host, iptables -I %s: %w: %s",
			strings.Join(rule, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// PodRange is the cluster's own pod address range.
func (o KindOptions) PodRange() string {
	return fmt.Sprintf("10.%d.0.0/16", kindPodRangeBase+o.Index)
}

// ServiceRange is the cluster's own Service address range.
func (o KindOptions) ServiceRange() string {
	return fmt.Sprintf("10.%d.0.0/16", kindServiceRangeBase+o.Index)
}

func (o KindOptions) validate() error {
	if errs := validation.IsDNS1123Label(o.Name); len(errs) > 0 {
		return fmt.Errorf("cluster name %q: %s", o.Name, strings.Join(errs, "; "))
	}
	if o.Index < 0 || o.Index >= kindMaxClusters {
		return fmt.Errorf("cluster %s: index %d is outside 0..%d", o.Name, o.Index, kindMaxClusters-1)
	}
	for _, l := range []string{o.Region, o.Zone} {
		if errs := validation.IsValidLabelValue(l); len(errs) > 0 {
			return fmt.Errorf("cluster %s: label value %q: %v", o.Name, l, errs)
		}
	}
	return nil
}

// Start creates the cluster, or returns it when it already runs, with a
// kubeconfig that reaches its API server at the node's address.
func (e *KindEnv) Start(ctx context.Context, o KindOptions) (*Cluster, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	existing, err := e.provider.List()
	if err != nil {
		return nil, err
	}
	if !slices.Contains(existing, o.Name) {
		cniConf := filepath.Join(e.WorkDir, o.Name+"-cni.conflist")
		if err := os.WriteFile(cniConf, []byte(bridgeConflist(o)), 0o644); err != nil { //nolint:gosec // read by the node, holds no secret
			return nil, err
		}
		cfg := kindClusterConfig(o, cniConf)
		err := e.provider.Create(o.Name,
			kindcluster.CreateWithV1Alpha4Config(cfg),
			kindcluster.CreateWithNodeImage(e.Image),
			kindcluster.CreateWithKubeconfigPath(filepath.Join(e.WorkDir, "kind-"+o.Name+".yaml")),
			kindcluster.CreateWithWaitForReady(2*time.Minute),
		)
		// kind ends by writing a kubeconfig for the port it publishes on
		// the host; an internal network publishes none, so that last step
		// fails after the cluster is up. We write our own below.
		if err != nil && !strings.Contains(err.Error(), "api server") {
			_ = e.provider.Delete(o.Name, "")
			return nil, fmt.Errorf("creating kind cluster %s: %w", o.Name, err)
		}
	}
	return e.connect(o.Name)
}

// KindFleet is the kind environment of local-up and the kind tests: a host
// cluster for the control plane (kubectl karmada init deploys into it) and
// three members in two regions, as the kwok environment has. The prefix
// keeps the tests' clusters apart from local-up's.
func KindFleet(prefix string) []KindOptions {
	return []KindOptions{
		{Name: prefix + "karmada-host", Index: 0},
		{Name: prefix + "member1", Index: 1, Region: "us-east", Zone: "us-east-1a"},
		{Name: prefix + "member2", Index: 2, Region: "us-east", Zone: "us-east-1b"},
		{Name: prefix + "member3", Index: 3, Region: "eu-west", Zone: "eu-west-1a"},
	}
}

// StartAll starts the clusters one after another and then routes their
// pod ranges to each other. One at a time is faster here: on 2 cores one
// cluster takes about 28 s and four side by side took 147 s, their
// kubeadm runs starving each other.
func (e *KindEnv) StartAll(ctx context.Context, all []KindOptions) (map[string]*Cluster, error) {
	started := map[string]*Cluster{}
	for _, o := range all {
		c, err := e.Start(ctx, o)
		if err != nil {
			return nil, err
		}
		started[o.Name] = c
	}
	if err := e.Route(all); err != nil {
		return nil, err
	}
	return started, nil
}

// kindClusterConfig is one node with our ranges, no default CNI (the
// bridge conflist is mounted instead), and kubeadm told which etcd tag the
// node image has (kubeadm passes 3.6-only flags to its default 3.6 tag).
func kindClusterConfig(o KindOptions, cniConf string) *kindconfig.Cluster {
	labels := map[string]string{}
	if o.Region != "" {
		labels[LabelRegion] = o.Region
	}
	if o.Zone != "" {
		labels[LabelZone] = o.Zone
	}
	cfg := &kindconfig.Cluster{
		Name: o.Name,
		Nodes: []kindconfig.Node{{
			Role:   kindconfig.ControlPlaneRole,
			Labels: labels,
			ExtraMounts: []kindconfig.Mount{{
				HostPath: cniConf, ContainerPath: "/etc/cni/net.d/10-bridge.conflist", Readonly: true,
			}},
		}},
		Networking: kindconfig.Networking{
			PodSubnet:         o.PodRange(),
			ServiceSubnet:     o.ServiceRange(),
			DisableDefaultCNI: true,
		},
		KubeadmConfigPatches: []string{etcdTagPatch},
	}
	kindconfig.SetDefaultsCluster(cfg)
	return cfg
}

// etcdTagPatch matches the etcd image the node image carries.
const etcdTagPatch = `kind: ClusterConfiguration
etcd:
  local:
    imageTag: 3.5.21-0
`

// bridgeConflist gives the node's pods addresses from the cluster's pod
// range on a Linux bridge. No masquerading: a pod's address is what other
// clusters see, as on a flat network.
func bridgeConflist(o KindOptions) string {
	return fmt.Sprintf(`{
  "cniVersion": "0.4.0",
  "name": "kubectl-karmada",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": %q}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
`, o.PodRange())
}

// connect writes the cluster's kubeconfig, with the server at the node's
// address on the internal network.
func (e *KindEnv) connect(name string) (*Cluster, error) {
	node, err := e.node(name)
	if err != nil {
		return nil, err
	}
	ip, _, err := node.IP()
	if err != nil {
		return nil, fmt.Errorf("the address of %s: %w", node, err)
	}
	raw, err := e.provider.KubeConfig(name, true)
	if err != nil {
		return nil, err
	}
	kc, err := clientcmd.Load([]byte(raw))
	if err != nil {
		return nil, err
	}
	for _, c := range kc.Clusters {
		u, err := url.Parse(c.Server)
		if err != nil {
			return nil, err
		}
		u.Host = net.JoinHostPort(ip, u.Port())
		c.Server = u.String()
	}
	path := filepath.Join(e.WorkDir, "kubeconfigs", name+".yaml")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		return nil, err
	}
	return newCluster(name, path, nil)
}

// node is the cluster's only node.
func (e *KindEnv) node(cluster string) (nodes.Node, error) {
	ns, err := e.provider.ListNodes(cluster)
	if err != nil {
		return nil, err
	}
	if len(ns) != 1 {
		return nil, fmt.Errorf("kind cluster %s has %d nodes, want 1", cluster, len(ns))
	}
	return ns[0], nil
}

// NodeIP is the address of the cluster's node on the internal network.
func (e *KindEnv) NodeIP(cluster string) (string, error) {
	n, err := e.node(cluster)
	if err != nil {
		return "", err
	}
	ip, _, err := n.IP()
	return ip, err
}

// Route lets the pods of every given cluster reach the pods of every other
// one: each node gets a route to each other cluster's pod range through
// that cluster's node.
func (e *KindEnv) Route(clusters []KindOptions) error {
	ips := map[string]string{}
	for _, o := range clusters {
		ip, err := e.NodeIP(o.Name)
		if err != nil {
			return err
		}
		ips[o.Name] = ip
	}
	for _, from := range clusters {
		node, err := e.node(from.Name)
		if err != nil {
			return err
		}
		for _, to := range clusters {
			if to.Name == from.Name {
				continue
			}
			var stderr bytes.Buffer
			cmd := node.Command("ip", "route", "replace", to.PodRange(), "via", ips[to.Name])
			cmd.SetStderr(&stderr)
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("route from %s to %s: %w: %s", from.Name, to.Name, err, stderr.String())
			}
		}
	}
	return nil
}

// LoadImage imports an image archive (docker save) into the cluster's node.
func (e *KindEnv) LoadImage(cluster, archive string) error {
	node, err := e.node(cluster)
	if err != nil {
		return err
	}
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return nodeutils.LoadImageArchive(node, f)
}

// Delete removes one cluster and its files.
func (e *KindEnv) Delete(name string) error {
	err := e.provider.Delete(name, filepath.Join(e.WorkDir, "kind-"+name+".yaml"))
	_ = os.Remove(filepath.Join(e.WorkDir, "kubeconfigs", name+".yaml"))
	_ = os.Remove(filepath.Join(e.WorkDir, name+"-cni.conflist"))
	return err
}

// DeleteAll removes the given clusters (every kind cluster when none is
// named) and the work folder. The network stays: other environments may
// use it, and it holds nothing.
func (e *KindEnv) DeleteAll(names ...string) error {
	if len(names) == 0 {
		all, err := e.provider.List()
		if err != nil {
			return err
		}
		names = all
	}
	var errs []error
	for _, n := range names {
		errs = append(errs, e.Delete(n))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.RemoveAll(e.WorkDir)
}

func docker(ctx context.Context, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("docker %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// EnvKindNodeImage names the variable that holds the node image to use;
// when it is unset, EnsureKindNodeImage builds it.
const EnvKindNodeImage = "KARMADA_KIND_NODE_IMAGE"

// EnsureKindNodeImage makes sure a Docker engine answers (test/kind/docker.sh)
// and returns the node image, built by test/kind/node-image.sh on first use.
func EnsureKindNodeImage(ctx context.Context) (string, error) {
	if image := os.Getenv(EnvKindNodeImage); image != "" {
		return image, nil
	}
	for _, script := range []string{"docker.sh", "node-image.sh"} {
		path := filepath.Join(repoRoot(), "test", "kind", script)
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, "bash", path)
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		if script == "node-image.sh" {
			return strings.TrimSpace(out.String()), nil
		}
	}
	return "", errors.New("unreachable")
}

// LoadDockerImages copies images from the local Docker engine into the
// nodes of the named clusters (nothing is pulled: the images were built
// here).
func (e *KindEnv) LoadDockerImages(ctx context.Context, clusters []string, images ...string) error {
	archive := filepath.Join(e.WorkDir, "images.tar")
	defer func() { _ = os.Remove(archive) }()
	if _, err := docker(ctx, append([]string{"save", "-o", archive}, images...)...); err != nil {
		return err
	}
	for _, c := range clusters {
		if err := e.LoadImage(c, archive); err != nil {
			return fmt.Errorf("loading %s into %s: %w", strings.Join(images, ", "), c, err)
		}
	}
	return nil
}
