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

// Package deinit implements "kubectl karmada deinit": it removes the
// control plane "init" deployed into a host cluster.
package deinit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

var example = templates.Examples(`
	# Remove the control plane init deployed into the current cluster
	%[1]s deinit

	# Without asking
	%[1]s deinit --yes`)

// Options holds what deinit needs.
type Options struct {
	Namespace         string
	KarmadaKubeconfig string
	Yes               bool
	Timeout           time.Duration

	hostFlags *genericclioptions.ConfigFlags
	genericiooptions.IOStreams
}

// NewCmdDeinit returns the deinit command.
func NewCmdDeinit(parent string, hostFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	home, _ := os.UserHomeDir()
	o := &Options{Namespace: names.SystemNamespace, KarmadaKubeconfig: filepath.Join(home, ".kube", "karmada-apiserver.config"),
		Timeout: 2 * time.Minute, hostFlags: hostFlags, IOStreams: streams}
	cmd := &cobra.Command{
		Use:   "deinit",
		Short: "Remove the control plane init deployed into the host cluster",
		Long: templates.LongDesc(`
			Remove the control plane that init deployed into the host cluster: its
			namespace (etcd and every template and policy in it, the API server, the
			controllers, the certificates) and the kubeconfig init wrote. Member clusters
			keep what was propagated to them; unjoin them first to remove that too.`),
		Example:      fmt.Sprintf(example, parent),
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE:         func(cmd *cobra.Command, _ []string) error { return o.Run(cmd.Context()) },
	}
	cmd.Flags().StringVar(&o.Namespace, "namespace-host", o.Namespace, "Namespace of the host cluster init deployed into")
	cmd.Flags().StringVar(&o.KarmadaKubeconfig, "karmada-kubeconfig", o.KarmadaKubeconfig, "The kubeconfig init wrote, removed too")
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "Do not ask for confirmation")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", o.Timeout, "How long to wait for the namespace to be gone")
	return cmd
}

// Run removes the namespace and the kubeconfig.
func (o *Options) Run(ctx context.Context) error {
	cfg, err := o.hostFlags.ToRESTConfig()
	if err != nil {
		return err
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ns, err := kube.CoreV1().Namespaces().Get(ctx, o.Namespace, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		fmt.Fprintf(o.Out, "No control plane in namespace %s of %s; nothing to remove.\n", o.Namespace, cfg.Host)
		return o.removeKubeconfig()
	case err != nil:
		return err
	case ns.Labels["app.kubernetes.io/managed-by"] != "kubectl-karmada":
		return fmt.Errorf("namespace %s of %s was not made by kubectl karmada init; not removing it", o.Namespace, cfg.Host)
	}
	if !o.Yes {
		fmt.Fprintf(o.Out, "Remove the control plane in namespace %s of %s, with every template and policy in it? [y/N] ", o.Namespace, cfg.Host)
		answer, _ := bufio.NewReader(o.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return errors.New("not removed")
		}
	}
	leftover := etcdDataOnNode(ctx, kube, o.Namespace)
	if err := kube.CoreV1().Namespaces().Delete(ctx, o.Namespace, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	err = wait.PollUntilContextTimeout(ctx, time.Second, o.Timeout, true, func(ctx context.Context) (bool, error) {
		_, err := kube.CoreV1().Namespaces().Get(ctx, o.Namespace, metav1.GetOptions{})
		return apierrors.IsNotFound(err), fatal(err)
	})
	if err != nil {
		return fmt.Errorf("namespace %s is still terminating after %s: %w", o.Namespace, o.Timeout, err)
	}
	fmt.Fprintf(o.Out, "Removed namespace %s from %s.\n", o.Namespace, cfg.Host)
	if leftover != "" {
		fmt.Fprintf(o.Out, "etcd's data stays in %s; remove it there when you no longer need it (a later init uses a new folder).\n", leftover)
	}
	return o.removeKubeconfig()
}

// etcdDataOnNode says where etcd kept its data on a node ("FOLDER on node
// NODE"), which deleting the namespace does not remove; "" when etcd kept
// it in the pod.
func etcdDataOnNode(ctx context.Context, kube kubernetes.Interface, namespace string) string {
	set, err := kube.AppsV1().StatefulSets(namespace).Get(ctx, names.EtcdName, metav1.GetOptions{})
	if err != nil {
		return ""
	}
	dir := ""
	for _, v := range set.Spec.Template.Spec.Volumes {
		if v.HostPath != nil {
			dir = v.HostPath.Path
		}
	}
	if dir == "" {
		return ""
	}
	node := "the node that ran " + names.EtcdName + "-0"
	if pod, err := kube.CoreV1().Pods(namespace).Get(ctx, names.EtcdName+"-0", metav1.GetOptions{}); err == nil && pod.Spec.NodeName != "" {
		node = "node " + pod.Spec.NodeName
	}
	return dir + " on " + node
}

// fatal keeps the errors that end the wait: all but "not found".
func fatal(err error) error {
	if err == nil || apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

func (o *Options) removeKubeconfig() error {
	err := os.Remove(o.KarmadaKubeconfig)
	switch {
	case err == nil:
		fmt.Fprintf(o.Out, "Removed %s.\n", o.KarmadaKubeconfig)
	case !os.IsNotExist(err):
		return err
	}
	return nil
}
