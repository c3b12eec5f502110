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

// Package kinde2e holds the end-to-end tests that need real containers:
// kind clusters built from our offline node image, "kubectl karmada init"
// deploying the control plane as pods into a host cluster, members running
// the propagated pods, and traffic across clusters. "make test-kind" runs
// them; without a node image (KARMADA_KIND_NODE_IMAGE) the package says so
// and runs nothing, so "go test ./..." stays Docker-free.
//
// Everything the tests do, they do as a user would: through the
// kubectl-karmada binary, built once per run.
package kinde2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// prefix names the tests' kind clusters, apart from local-up's.
const prefix = "kt-"

var (
	fleet    = localcluster.KindFleet(prefix)
	hostName = fleet[0].Name
	members  = fleet[1:]

	env      *localcluster.KindEnv
	clusters map[string]*localcluster.Cluster
	kubes    = map[string]kubernetes.Interface{}
	// plugin is the kubectl-karmada binary; controlPlane its kubeconfig
	// written by init.
	plugin, controlPlane string
	// hostBefore lists the host cluster's objects before init, to check
	// that deinit leaves nothing behind.
	hostBefore []string

	controllersImage = os.Getenv("KARMADA_CONTROLLERS_IMAGE")
	helloImage       = os.Getenv("KARMADA_HELLO_IMAGE")
)

func TestMain(m *testing.M) {
	image := os.Getenv(localcluster.EnvKindNodeImage)
	if image == "" || controllersImage == "" || helloImage == "" {
		fmt.Println("kinde2e: nothing run: KARMADA_KIND_NODE_IMAGE, KARMADA_CONTROLLERS_IMAGE and KARMADA_HELLO_IMAGE are not set (make test-kind sets them)")
		os.Exit(0)
	}
	os.Exit(run(m, image))
}

func run(m *testing.M, image string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// KARMADA_KIND_KEEP=1 keeps the clusters for the next run (and for a
	// look after a failure); a kept fleet is reused as it is.
	keep := os.Getenv("KARMADA_KIND_KEEP") == "1"
	err := setUp(ctx, image)
	if !keep {
		defer tearDown()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "setting up the kind clusters:", err)
		return 1
	}
	return m.Run()
}

func setUp(ctx context.Context, image string) error {
	var err error
	work := filepath.Join(os.TempDir(), "kubectl-karmada-kind-e2e")
	if env, err = localcluster.NewKindEnv(ctx, image, work); err != nil {
		return err
	}
	plugin = filepath.Join(env.WorkDir, "kubectl-karmada")
	build := exec.CommandContext(ctx, "go", "build", "-o", plugin, "github.com/kubectl-karmada/kubectl-karmada/cmd/kubectl-karmada")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building kubectl-karmada: %w: %s", err, out)
	}
	start := time.Now()
	if clusters, err = env.StartAll(ctx, fleet); err != nil {
		return err
	}
	logf("kind clusters up in %s", time.Since(start).Round(time.Second))
	for name, c := range clusters {
		if kubes[name], err = kubernetes.NewForConfig(c.Config); err != nil {
			return err
		}
	}
	memberNames := make([]string, 0, len(members))
	for _, m := range members {
		memberNames = append(memberNames, m.Name)
	}
	if err := env.LoadDockerImages(ctx, []string{hostName}, controllersImage); err != nil {
		return err
	}
	if err := env.LoadDockerImages(ctx, memberNames, helloImage); err != nil {
		return err
	}

	if hostBefore, err = hostObjects(ctx); err != nil {
		return err
	}
	start = time.Now()
	controlPlane = filepath.Join(env.WorkDir, "karmada-apiserver.yaml")
	if out, err := karmada(ctx, "init", "--kubeconfig", clusters[hostName].Kubeconfig,
		"--controllers-image", controllersImage, "--karmada-kubeconfig", controlPlane); err != nil {
		return fmt.Errorf("init: %w\n%s", err, out)
	}
	logf("init in the host cluster took %s", time.Since(start).Round(time.Second))
	for _, m := range members {
		if out, err := karmada(ctx, "join", m.Name, "--kubeconfig", controlPlane,
			"--cluster-kubeconfig", clusters[m.Name].Kubeconfig,
			"--cluster-region", m.Region, "--cluster-zones", m.Zone); err != nil {
			return fmt.Errorf("join %s: %w\n%s", m.Name, err, out)
		}
	}
	return nil
}

// hostObjects names the host cluster's namespaces and cluster-wide
// objects that init could make: everything init makes lives in one of them.
func hostObjects(ctx context.Context) ([]string, error) {
	kube := kubes[hostName]
	var names []string
	nss, err := kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, n := range nss.Items {
		names = append(names, "namespace/"+n.Name)
	}
	crs, err := kube.RbacV1().ClusterRoles().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, r := range crs.Items {
		names = append(names, "clusterrole/"+r.Name)
	}
	crbs, err := kube.RbacV1().ClusterRoleBindings().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, b := range crbs.Items {
		names = append(names, "clusterrolebinding/"+b.Name)
	}
	pvs, err := kube.CoreV1().PersistentVolumes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for _, v := range pvs.Items {
		names = append(names, "persistentvolume/"+v.Name)
	}
	sort.Strings(names)
	return names, nil
}

// karmada runs the plugin binary and returns what it printed.
func karmada(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, plugin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func tearDown() {
	if env == nil {
		return
	}
	names := make([]string, 0, len(fleet))
	for _, o := range fleet {
		names = append(names, o.Name)
	}
	if err := env.DeleteAll(names...); err != nil {
		fmt.Fprintln(os.Stderr, "removing the kind clusters:", err)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kinde2e: "+strings.TrimSuffix(format, "\n")+"\n", args...)
}
