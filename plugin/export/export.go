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

// Package export implements "kubectl karmada export": it exports a
// Service of the control plane to the clusterset the way Karmada users do,
// with a ServiceExport beside it and a policy that sends the export (and
// the Service, when no policy sends it yet) to the member clusters.
package export

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"
	mcsv1alpha1 "sigs.k8s.io/mcs-api/pkg/apis/v1alpha1"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

var (
	long = templates.LongDesc(`
		Export a Service of the control plane to every cluster of the clusterset. It
		writes a ServiceExport next to the Service and a PropagationPolicy that sends
		the export to the clusters that run the Service (or to --clusters). When no
		policy propagates the Service yet, the same policy sends it too. The
		controllers then give every member that has the namespace a ServiceImport
		and the endpoints of all exporting clusters.`)

	example = templates.Examples(`
		# Export nginx from wherever its Service is propagated
		%[1]s export svc/nginx

		# Export it from member1 and member2 only
		%[1]s export svc/nginx --clusters member1,member2

		# Print what would be written
		%[1]s export svc/nginx --dry-run=client -o yaml`)
)

// Options holds what export needs.
type Options struct {
	// Service is "svc/NAME" or "service/NAME" or "NAME".
	Service string
	// Clusters export the Service from these clusters only.
	Clusters []string
	// DryRun is kubectl's --dry-run: none, client (print only) or server
	// (validated by the API server, nothing stored).
	DryRun cmdutil.DryRunStrategy

	namespace   string
	name        string
	configFlags *genericclioptions.ConfigFlags
	printFlags  *genericclioptions.PrintFlags
	printer     printers.ResourcePrinter
	client      client.Client
	genericiooptions.IOStreams
}

// NewCmdExport returns the export command.
func NewCmdExport(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{configFlags: configFlags, printFlags: genericclioptions.NewPrintFlags("exported").WithDefaultOutput(""), IOStreams: streams}
	cmd := &cobra.Command{
		Use:          "export svc/NAME [--clusters C1,C2]",
		Short:        "Export a Service to the clusterset (ServiceExport and its policy)",
		Long:         long,
		Example:      fmt.Sprintf(example, parent),
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.DryRun, err = cmdutil.GetDryRunStrategy(cmd); err != nil {
				return err
			}
			if err := o.Complete(args); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().StringSliceVar(&o.Clusters, "clusters", nil, "Export from these member clusters (default: those the Service is propagated to)")
	cmdutil.AddDryRunFlag(cmd)
	o.printFlags.AddFlags(cmd)
	return cmd
}

// Complete reads the argument and connects.
func (o *Options) Complete(args []string) error {
	o.Service = args[0]
	kind, name, found := strings.Cut(o.Service, "/")
	if !found {
		kind, name = "svc", o.Service
	}
	if kind != "svc" && kind != "service" && kind != "services" {
		return fmt.Errorf("%q: only Services can be exported, as svc/NAME", o.Service)
	}
	o.name = name
	ns, _, err := o.configFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return err
	}
	o.namespace = ns
	if o.client, err = connect.Client(o.configFlags); err != nil {
		return err
	}
	if o.DryRun == cmdutil.DryRunClient || o.printFlags.OutputFlagSpecified() {
		o.printer, err = o.printFlags.ToPrinter()
	}
	return err
}

// Validate checks the flags.
func (o *Options) Validate() error {
	if o.name == "" {
		return errors.New("give the Service as svc/NAME")
	}
	for _, c := range o.Clusters {
		if errs := validation.IsDNS1123Label(c); len(errs) > 0 {
			return fmt.Errorf("cluster name %q: %s", c, strings.Join(errs, "; "))
		}
	}
	return nil
}

// Run writes (or prints) the ServiceExport and the policy.
func (o *Options) Run(ctx context.Context) error {
	svc := &corev1.Service{}
	if err := o.client.Get(ctx, client.ObjectKey{Namespace: o.namespace, Name: o.name}, svc); err != nil {
		return fmt.Errorf("reading Service %s/%s on the control plane: %w", o.namespace, o.name, err)
	}
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		return fmt.Errorf("service %s/%s is of type ExternalName, which the MCS API does not export", o.namespace, o.name)
	}
	// Does a policy already send the Service? Then only the export needs
	// one, and it goes where the Service went.
	binding := &workv1alpha2.ResourceBinding{}
	err := o.client.Get(ctx, client.ObjectKey{Namespace: o.namespace, Name: names.BindingName("Service", o.name)}, binding)
	propagated := err == nil
	if err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	clusters := o.Clusters
	if len(clusters) == 0 && propagated {
		for _, t := range binding.Spec.Clusters {
			clusters = append(clusters, t.Name)
		}
	}
	export := &mcsv1alpha1.ServiceExport{
		TypeMeta:   metav1.TypeMeta{APIVersion: mcsv1alpha1.GroupName + "/v1alpha1", Kind: "ServiceExport"},
		ObjectMeta: metav1.ObjectMeta{Namespace: o.namespace, Name: o.name},
	}
	policy := o.policy(clusters, !propagated)
	if o.DryRun == cmdutil.DryRunClient {
		list := &corev1.List{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "List"},
			Items: []runtime.RawExtension{{Object: export}, {Object: policy}}}
		return o.printer.PrintObj(list, o.Out)
	}
	opts := []client.PatchOption{client.FieldOwner("kubectl-karmada"), client.ForceOwnership}
	if o.DryRun == cmdutil.DryRunServer {
		opts = append(opts, client.DryRunAll)
	}
	for _, obj := range []client.Object{export, policy} {
		if err := o.client.Patch(ctx, obj, client.Apply, opts...); err != nil { //nolint:staticcheck // no apply configurations for these types
			return fmt.Errorf("writing %s %s: %w", obj.GetObjectKind().GroupVersionKind().Kind, obj.GetName(), err)
		}
	}
	where := "every cluster"
	if len(clusters) > 0 {
		where = strings.Join(clusters, ", ")
	}
	fmt.Fprintf(o.Out, "serviceexport/%s and propagationpolicy.policy.karmada.io/%s written: %s/%s exported from %s\n",
		o.name, policy.Name, o.namespace, o.name, where)
	return nil
}

// policy sends the ServiceExport (and the Service, withService) to clusters.
func (o *Options) policy(clusters []string, withService bool) *policyv1alpha1.PropagationPolicy {
	selectors := []policyv1alpha1.ResourceSelector{{APIVersion: mcsv1alpha1.GroupName + "/v1alpha1", Kind: "ServiceExport", Name: o.name}}
	if withService {
		selectors = append([]policyv1alpha1.ResourceSelector{{APIVersion: "v1", Kind: "Service", Name: o.name}}, selectors...)
	}
	p := &policyv1alpha1.PropagationPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: policyv1alpha1.GroupVersion.String(), Kind: "PropagationPolicy"},
		ObjectMeta: metav1.ObjectMeta{Namespace: o.namespace, Name: o.name + "-export"},
		Spec:       policyv1alpha1.PropagationSpec{ResourceSelectors: selectors},
	}
	if len(clusters) > 0 {
		p.Spec.Placement.ClusterAffinity = &policyv1alpha1.ClusterAffinity{ClusterNames: clusters}
	}
	return p
}
