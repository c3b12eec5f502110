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

// Package get implements "kubectl karmada get": multi-cluster views of
// Clusters and bindings, with the figures kubectl's own columns cannot
// compute (nodes ready of total, CPU and memory used of allocatable,
// replicas per member).
package get

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
)

var example = templates.Examples(`
	# List member clusters with their health and resources
	%[1]s get clusters

	# Also show region, zones and taints
	%[1]s get clusters -o wide

	# List the bindings of every namespace with replicas per member
	%[1]s get bindings -A

	# One binding as YAML
	%[1]s get bindings nginx-deployment -o yaml

	# Services exported to the clusterset: who exports, who imports, endpoints per cluster
	%[1]s get services -A`)

// view is one resource type get can show.
type view interface {
	// list reads the objects (all of them, or the one named).
	list(ctx context.Context, c client.Client, namespace, name string) (runtime.Object, error)
	// table writes the rows for humans.
	table(w io.Writer, obj runtime.Object, wide, withNamespace bool) error
}

var views = map[string]view{
	"clusters": clustersView{}, "cluster": clustersView{},
	"bindings": bindingsView{}, "binding": bindingsView{}, "rb": bindingsView{},
	"services": servicesView{}, "service": servicesView{}, "svc": servicesView{},
}

// Options holds what get needs.
type Options struct {
	// Type is clusters or bindings.
	Type string
	// Name limits the output to one object.
	Name string
	// AllNamespaces lists bindings of every namespace.
	AllNamespaces bool

	namespace   string
	configFlags *genericclioptions.ConfigFlags
	printFlags  *genericclioptions.PrintFlags
	client      client.Client
	genericiooptions.IOStreams
}

// NewCmdGet returns the get command.
func NewCmdGet(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{configFlags: configFlags, printFlags: genericclioptions.NewPrintFlags(""), IOStreams: streams}
	cmd := &cobra.Command{
		Use:          "get (clusters | bindings | services) [NAME]",
		Short:        "Show member clusters, bindings, or services shared across the clusters",
		Example:      fmt.Sprintf(example, parent),
		Args:         cobra.RangeArgs(1, 2),
		ValidArgs:    []string{"clusters", "bindings", "services"},
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Complete(args); err != nil {
				return err
			}
			return o.Run(cmd.Context())
		},
	}
	cmd.Flags().BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "List bindings or services of every namespace")
	o.printFlags.AddFlags(cmd)
	cmd.Flags().Lookup("output").Usage = "Output format: wide, json or yaml"
	return cmd
}

// Complete reads the arguments and connects.
func (o *Options) Complete(args []string) error {
	o.Type = args[0]
	if len(args) > 1 {
		o.Name = args[1]
	}
	if _, ok := views[o.Type]; !ok {
		return fmt.Errorf("unknown type %q: use clusters, bindings or services", o.Type)
	}
	ns, _, err := o.configFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return err
	}
	o.namespace = ns
	if o.AllNamespaces {
		o.namespace = ""
	}
	o.client, err = connect.Client(o.configFlags)
	return err
}

// Run prints the objects.
func (o *Options) Run(ctx context.Context) error {
	v := views[o.Type]
	obj, err := v.list(ctx, o.client, o.namespace, o.Name)
	if obj == nil {
		return err
	}
	if err != nil {
		// Some members could not be read: show what was, and say so.
		fmt.Fprintf(o.ErrOut, "warning: %v\n", err)
	}
	output := ""
	if o.printFlags.OutputFormat != nil {
		output = *o.printFlags.OutputFormat
	}
	switch output {
	case "", "wide":
		w := printers.GetNewTabWriter(o.Out)
		if err := v.table(w, obj, output == "wide", o.AllNamespaces); err != nil {
			return err
		}
		return w.Flush()
	}
	printer, err := o.printFlags.ToPrinter()
	if err != nil {
		return err
	}
	return printer.PrintObj(obj, o.Out)
}

func row(w io.Writer, cells ...string) {
	fmt.Fprintln(w, strings.Join(cells, "\t"))
}
