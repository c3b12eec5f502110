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

// Package initcmd implements "kubectl karmada init": it prepares a
// control-plane API for templates and policies.
package initcmd

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-karmada/kubectl-karmada/api/crds"
	"github.com/kubectl-karmada/kubectl-karmada/internal/crdinstall"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

var (
	long = templates.LongDesc(`
		Prepare a control-plane API for kubectl karmada: install the Karmada and
		Multi-Cluster Services CRDs and the karmada-system and karmada-cluster
		namespaces.

		The control plane is an existing API server without nodes or workload
		controllers (so a Deployment there stays a template), given with
		--control-plane-kubeconfig. Running init again changes nothing and says so.`)

	example = templates.Examples(`
		# Prepare the local control plane made by "make local-up"
		%[1]s init --control-plane-kubeconfig ~/.kube/karmada.config --control-plane-context karmada-apiserver

		# Print every object init would create, without creating anything
		%[1]s init --control-plane-kubeconfig ~/.kube/karmada.config --dry-run -o yaml`)
)

// Options holds what init needs.
type Options struct {
	// ControlPlaneKubeconfig and ControlPlaneContext reach the control-plane API.
	ControlPlaneKubeconfig string
	ControlPlaneContext    string
	// DryRun prints the objects instead of creating them.
	DryRun bool
	// Timeout bounds the wait for the CRDs to be served.
	Timeout time.Duration

	printFlags *genericclioptions.PrintFlags
	printer    printers.ResourcePrinter
	config     *rest.Config

	genericiooptions.IOStreams
}

// NewCmdInit returns the init command.
func NewCmdInit(parent string, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{
		Timeout:    2 * time.Minute,
		printFlags: genericclioptions.NewPrintFlags(""),
		IOStreams:  streams,
	}
	cmd := &cobra.Command{
		Use:          "init --control-plane-kubeconfig FILE",
		Short:        "Prepare a control-plane API for templates and policies",
		Long:         long,
		Example:      fmt.Sprintf(example, parent),
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Complete(); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&o.ControlPlaneKubeconfig, "control-plane-kubeconfig", "", "Kubeconfig of an existing API server to use as the control plane")
	cmd.Flags().StringVar(&o.ControlPlaneContext, "control-plane-context", "", "Context of --control-plane-kubeconfig (default: its current context)")
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "Print the objects init would create; create nothing")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", o.Timeout, "How long to wait for the CRDs to be served")
	o.printFlags.AddFlags(cmd)
	_ = cmd.MarkFlagFilename("control-plane-kubeconfig")
	return cmd
}

// Complete loads the control-plane config and the printer.
func (o *Options) Complete() error {
	if o.ControlPlaneKubeconfig == "" {
		return nil // Validate says what is missing
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.ControlPlaneKubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: o.ControlPlaneContext},
	).ClientConfig()
	if err != nil {
		return fmt.Errorf("loading --control-plane-kubeconfig: %w", err)
	}
	o.config = cfg
	if o.DryRun {
		if o.printer, err = o.printFlags.ToPrinter(); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the flags.
func (o *Options) Validate() error {
	if o.ControlPlaneKubeconfig == "" {
		return fmt.Errorf("--control-plane-kubeconfig is required: init prepares an existing API server; deploying one into the host cluster is not available yet")
	}
	if o.Timeout <= 0 {
		return fmt.Errorf("--timeout must be positive")
	}
	return nil
}

// Run installs the CRDs and namespaces.
func (o *Options) Run(ctx context.Context) error {
	all, err := crds.ControlPlane()
	if err != nil {
		return err
	}
	namespaces := []*corev1.Namespace{namespace(names.SystemNamespace), namespace(names.ClusterNamespace)}
	if o.DryRun {
		for _, crd := range all {
			crd.APIVersion, crd.Kind = "apiextensions.k8s.io/v1", "CustomResourceDefinition"
			if err := o.printer.PrintObj(crd, o.Out); err != nil {
				return err
			}
		}
		for _, ns := range namespaces {
			if err := o.printer.PrintObj(ns, o.Out); err != nil {
				return err
			}
		}
		return nil
	}

	changed, err := crdinstall.Apply(ctx, o.config, all, o.Timeout)
	if err != nil {
		return fmt.Errorf("installing CRDs on %s: %w", o.config.Host, err)
	}
	client, err := kubernetes.NewForConfig(o.config)
	if err != nil {
		return err
	}
	for _, ns := range namespaces {
		_, err := client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
		switch {
		case err == nil:
			changed = append(changed, "namespace/"+ns.Name)
		case !apierrors.IsAlreadyExists(err):
			return fmt.Errorf("creating namespace %s: %w", ns.Name, err)
		}
	}
	if len(changed) == 0 {
		fmt.Fprintf(o.Out, "The control plane at %s is already initialized; nothing changed.\n", o.config.Host)
		return nil
	}
	fmt.Fprintf(o.Out, "Initialized the control plane at %s (%d objects created or updated).\n", o.config.Host, len(changed))
	fmt.Fprintln(o.Out, "Next: join member clusters with \"kubectl karmada join NAME --cluster-kubeconfig FILE\".")
	return nil
}

func namespace(name string) *corev1.Namespace {
	return &corev1.Namespace{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"}, ObjectMeta: metav1.ObjectMeta{Name: name}}
}
