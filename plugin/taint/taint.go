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

// Package taint implements "kubectl karmada taint", "cordon" and
// "uncordon": taints on member Clusters keep new placements away unless a
// policy tolerates them (NoExecute also moves what already runs there).
package taint

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/taints"
)

// Options holds what the taint commands need.
type Options struct {
	// Cluster to change.
	Cluster string
	// Add are the taints to set; Remove the key:effect pairs to drop
	// (empty effect: every effect of the key).
	Add    []corev1.Taint
	Remove []corev1.Taint

	verb        string
	client      client.Client
	configFlags *genericclioptions.ConfigFlags
	genericiooptions.IOStreams
}

var (
	taintExample = templates.Examples(`
		# Keep new workloads off member1 unless a policy tolerates dedicated=gpu
		%[1]s taint member1 dedicated=gpu:NoSchedule

		# Move workloads off member2 now (NoExecute)
		%[1]s taint member2 maintenance:NoExecute

		# Remove a taint
		%[1]s taint member2 maintenance:NoExecute-`)
	cordonExample = templates.Examples(`
		# Place nothing new on member3
		%[1]s cordon member3`)
	uncordonExample = templates.Examples(`
		# Let member3 take new placements again
		%[1]s uncordon member3`)
)

// NewCmdTaint returns "taint NAME key[=value]:effect[-]...".
func NewCmdTaint(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	return command("taint NAME KEY[=VALUE]:EFFECT[-] ...", "Set or remove taints on a member cluster", taintExample, parent,
		&Options{verb: "tainted", configFlags: configFlags, IOStreams: streams}, cobra.MinimumNArgs(2))
}

// NewCmdCordon returns "cordon NAME".
func NewCmdCordon(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	return command("cordon NAME", "Mark a member cluster as taking no new placements", cordonExample, parent,
		&Options{verb: "cordoned", Add: []corev1.Taint{taints.Cordon}, configFlags: configFlags, IOStreams: streams}, cobra.ExactArgs(1))
}

// NewCmdUncordon returns "uncordon NAME".
func NewCmdUncordon(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	return command("uncordon NAME", "Let a cordoned member cluster take new placements again", uncordonExample, parent,
		&Options{verb: "uncordoned", Remove: []corev1.Taint{taints.Cordon}, configFlags: configFlags, IOStreams: streams}, cobra.ExactArgs(1))
}

func command(use, short, example, parent string, o *Options, args cobra.PositionalArgs) *cobra.Command {
	return &cobra.Command{
		Use:          use,
		Short:        short,
		Example:      fmt.Sprintf(example, parent),
		Args:         args,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Complete(args); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(cmd.Context())
		},
	}
}

// Complete reads the cluster and the taint arguments and connects.
func (o *Options) Complete(args []string) error {
	o.Cluster = args[0]
	for _, spec := range args[1:] {
		t, remove, err := taints.Parse(spec)
		if err != nil {
			return err
		}
		if remove {
			o.Remove = append(o.Remove, t)
		} else {
			o.Add = append(o.Add, t)
		}
	}
	var err error
	o.client, err = connect.Client(o.configFlags)
	return err
}

// Validate checks that there is something to change.
func (o *Options) Validate() error {
	if o.Cluster == "" {
		return errors.New("a cluster name is required")
	}
	if len(o.Add)+len(o.Remove) == 0 {
		return errors.New("no taint to set or remove")
	}
	return nil
}

// Run changes the Cluster's taints.
func (o *Options) Run(ctx context.Context) error {
	changed, err := taints.Set(ctx, o.client, o.Cluster, o.Add, o.Remove)
	if err != nil {
		return err
	}
	if !changed {
		fmt.Fprintf(o.Out, "cluster/%s unchanged\n", o.Cluster)
		return nil
	}
	fmt.Fprintf(o.Out, "cluster/%s %s\n", o.Cluster, o.verb)
	return nil
}
