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

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// HostContext is the context of the kind cluster that hosts the control
// plane's pods.
const HostContext = "karmada-host"

// The images the kind environment loads: what "make image" and "make
// image-hello" build. The Makefile passes them.
func kindImages() (controllers, hello string, err error) {
	controllers, hello = os.Getenv("KARMADA_CONTROLLERS_IMAGE"), os.Getenv("KARMADA_HELLO_IMAGE")
	if controllers == "" || hello == "" {
		return "", "", errors.New("KARMADA_CONTROLLERS_IMAGE and KARMADA_HELLO_IMAGE must name local images (make local-up PROVIDER=kind sets them)")
	}
	return controllers, hello, nil
}

// upKind starts the kind clusters, loads our images into them and runs
// "kubectl karmada init" against the host cluster, as a user would.
func upKind(ctx context.Context) error {
	kubeconfig, workDir, err := paths()
	if err != nil {
		return err
	}
	controllersImage, helloImage, err := kindImages()
	if err != nil {
		return err
	}
	start := time.Now()
	image, err := localcluster.EnsureKindNodeImage(ctx)
	if err != nil {
		return err
	}
	env, err := localcluster.NewKindEnv(ctx, image, filepath.Join(workDir, "kind"))
	if err != nil {
		return err
	}
	fmt.Printf("Starting kind clusters %s, member1, member2 and member3 (node image %s)\n", HostContext, image)
	clusters, err := env.StartAll(ctx, localcluster.KindFleet(""))
	if err != nil {
		return err
	}
	fmt.Printf("Clusters up in %s; loading %s and %s\n", time.Since(start).Round(time.Second), controllersImage, helloImage)
	if err := env.LoadDockerImages(ctx, []string{HostContext}, controllersImage); err != nil {
		return err
	}
	if err := env.LoadDockerImages(ctx, []string{"member1", "member2", "member3"}, helloImage); err != nil {
		return err
	}

	cpKubeconfig := filepath.Join(env.WorkDir, "kubeconfigs", ControlPlaneContext+".yaml")
	fmt.Printf("Running kubectl karmada init against %s\n", HostContext)
	initCmd := exec.CommandContext(ctx, pluginBinary(), "init",
		"--kubeconfig", clusters[HostContext].Kubeconfig,
		"--controllers-image", controllersImage,
		"--karmada-kubeconfig", cpKubeconfig)
	initCmd.Stdout, initCmd.Stderr = os.Stdout, os.Stderr
	if err := initCmd.Run(); err != nil {
		return fmt.Errorf("kubectl karmada init: %w", err)
	}
	clusters[ControlPlaneContext] = &localcluster.Cluster{Name: ControlPlaneContext, Kubeconfig: cpKubeconfig}

	order := []string{ControlPlaneContext, HostContext, "member1", "member2", "member3"}
	if err := os.MkdirAll(filepath.Dir(kubeconfig), 0o700); err != nil {
		return err
	}
	if err := localcluster.WriteKubeconfig(kubeconfig, clusters, order); err != nil {
		return err
	}
	fmt.Printf(`
kind clusters are up (%s), with the control plane running as pods in %s.
  kubeconfig: %s  (contexts: %s, %s, member1, member2, member3)
  state:      %s
Try:
  export KUBECONFIG=%s
  kubectl --context %s get pods -n karmada-system
  kubectl --context member1 get nodes -L topology.kubernetes.io/zone
Remove everything with: make local-down
`, time.Since(start).Round(time.Second), HostContext, kubeconfig, ControlPlaneContext, HostContext,
		env.WorkDir, kubeconfig, HostContext)
	return nil
}

// downKind removes the kind clusters upKind made, if any.
func downKind(ctx context.Context, workDir string) error {
	dir := filepath.Join(workDir, "kind")
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	env, err := localcluster.NewKindEnv(ctx, "", dir)
	if err != nil {
		return err
	}
	fleet := localcluster.KindFleet("")
	names := make([]string, 0, len(fleet))
	for _, o := range fleet {
		names = append(names, o.Name)
	}
	if err := env.DeleteAll(names...); err != nil {
		return err
	}
	fmt.Println("Removed the kind clusters", names)
	return nil
}

// pluginBinary is the kubectl-karmada that make builds into bin/.
func pluginBinary() string {
	if p := os.Getenv("KARMADA_PLUGIN"); p != "" {
		return p
	}
	return filepath.Join("bin", "kubectl-karmada")
}
