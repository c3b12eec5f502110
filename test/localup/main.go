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

// Command localup brings up, or tears down, the local multi-cluster
// environment used by "make local-up", "make local-down" and "make demo":
// a control-plane API (context karmada-apiserver) with our CRDs, and three
// member clusters.
//
// With KARMADA_PROVIDER=kwok (the default) every cluster runs as local
// processes and members have fake nodes (no Docker). With
// KARMADA_PROVIDER=kind the clusters are kind clusters with real nodes and
// pods: a host cluster into which "kubectl karmada init" deploys the
// control plane as pods, and three members (see kind.go).
//
//	go run ./test/localup up     # idempotent
//	go run ./test/localup down   # removes every process and file it made
//
// KARMADA_KUBECONFIG overrides where the kubeconfig goes (default
// ~/.kube/karmada.config); KARMADA_LOCAL_DIR where the clusters keep their
// state (default ~/.local/share/kubectl-karmada/local-up).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kubectl-karmada/kubectl-karmada/api/crds"
	"github.com/kubectl-karmada/kubectl-karmada/internal/crdinstall"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// ControlPlaneContext is the context name of the control-plane API, as in
// Karmada's own local set-up.
const ControlPlaneContext = "karmada-apiserver"

// members are the member clusters: two zones of one region and a second
// region, each with 3 nodes of 8 cpu / 32Gi / 110 pods.
var members = []localcluster.MemberOptions{
	{Name: "member1", Region: "us-east", Zone: "us-east-1a", Nodes: 3, CPU: "8", Memory: "32Gi", Pods: "110"},
	{Name: "member2", Region: "us-east", Zone: "us-east-1b", Nodes: 3, CPU: "8", Memory: "32Gi", Pods: "110"},
	{Name: "member3", Region: "eu-west", Zone: "eu-west-1a", Nodes: 3, CPU: "8", Memory: "32Gi", Pods: "110"},
}

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "up" && os.Args[1] != "down") {
		fmt.Fprintln(os.Stderr, "usage: localup up|down")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	kind := os.Getenv("KARMADA_PROVIDER") == "kind"
	var err error
	switch {
	case os.Args[1] == "up" && kind:
		err = upKind(ctx)
	case os.Args[1] == "up":
		err = up(ctx)
	default:
		err = down(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func paths() (kubeconfig, workDir string, err error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", "", err
	}
	kubeconfig = os.Getenv("KARMADA_KUBECONFIG")
	if kubeconfig == "" {
		kubeconfig = filepath.Join(home, ".kube", "karmada.config")
	}
	workDir = os.Getenv("KARMADA_LOCAL_DIR")
	if workDir == "" {
		workDir = filepath.Join(home, ".local", "share", "kubectl-karmada", "local-up")
	}
	return kubeconfig, workDir, nil
}

func up(ctx context.Context) error {
	kubeconfig, workDir, err := paths()
	if err != nil {
		return err
	}
	bin, err := localcluster.EnsureBinaries(ctx)
	if err != nil {
		return err
	}
	env, err := localcluster.NewEnv(bin, workDir)
	if err != nil {
		return err
	}
	start := time.Now()
	clusters := map[string]*localcluster.Cluster{}
	order := []string{ControlPlaneContext}

	fmt.Printf("Starting the control plane (%s)\n", ControlPlaneContext)
	cp, err := env.StartControlPlane(ctx, localcluster.ControlPlaneOptions{Name: ControlPlaneContext})
	if err != nil {
		return err
	}
	clusters[ControlPlaneContext] = cp
	all, err := crds.ControlPlane()
	if err != nil {
		return err
	}
	if _, err := crdinstall.Apply(ctx, cp.Config, all, time.Minute); err != nil {
		return err
	}

	for _, m := range members {
		fmt.Printf("Starting %s (%s, %s, %d nodes of %s cpu / %s / %s pods)\n", m.Name, m.Region, m.Zone, m.Nodes, m.CPU, m.Memory, m.Pods)
		c, err := env.StartMember(ctx, m)
		if err != nil {
			return err
		}
		clusters[m.Name] = c
		order = append(order, m.Name)
	}

	if err := os.MkdirAll(filepath.Dir(kubeconfig), 0o700); err != nil {
		return err
	}
	if err := localcluster.WriteKubeconfig(kubeconfig, clusters, order); err != nil {
		return err
	}
	fmt.Printf(`
Local clusters are up (%s).
  kubeconfig: %s  (contexts: %s, member1, member2, member3)
  state:      %s
Try:
  export KUBECONFIG=%s
  kubectl --context member1 get nodes -L topology.kubernetes.io/zone
  kubectl --context %s get crd
Remove everything with: make local-down
`, time.Since(start).Round(100*time.Millisecond), kubeconfig, ControlPlaneContext, workDir, kubeconfig, ControlPlaneContext)
	return nil
}

func down(ctx context.Context) error {
	kubeconfig, workDir, err := paths()
	if err != nil {
		return err
	}
	if _, err := os.Stat(workDir); errors.Is(err, os.ErrNotExist) {
		fmt.Println("Nothing to remove: no local clusters in", workDir)
		return removeIfExists(kubeconfig)
	}
	bin, err := localcluster.EnsureBinaries(ctx)
	if err != nil {
		return err
	}
	env, err := localcluster.NewEnv(bin, workDir)
	if err != nil {
		return err
	}
	stopDemoControllers(workDir)
	if err := downKind(ctx, workDir); err != nil {
		return err
	}
	if err := env.DeleteAll(ctx); err != nil {
		return err
	}
	fmt.Println("Removed the local clusters and", workDir)
	// Leave no empty parent folder behind either (only removed when empty).
	_ = os.Remove(filepath.Dir(workDir))
	return removeIfExists(kubeconfig)
}

// stopDemoControllers stops the controllers process "make demo" started,
// recorded in controllers.pid of the work folder.
func stopDemoControllers(workDir string) {
	data, err := os.ReadFile(filepath.Join(workDir, "controllers.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return
	}
	if syscall.Kill(pid, syscall.SIGTERM) == nil {
		fmt.Println("Stopped karmada-controllers, pid", pid)
	}
}

func removeIfExists(path string) error {
	err := os.Remove(path)
	if err == nil {
		fmt.Println("Removed", path)
		return nil
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
