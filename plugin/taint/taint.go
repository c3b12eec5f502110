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
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/util/retry"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
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

// CordonTaint is the taint cordon sets.
var CordonTaint = corev1.Taint{Key: clusterv1alpha1.TaintClusterUnscheduled, Effect: corev1.TaintEffectNoSchedule}

// NewCmdTaint returns "taint NAME key[=value]:effect[-]...".
func NewCmdTaint(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{verb: "tainted", configFlags: configFlags, IOStreams: streams}
	return &cobra.Command{
		Use:          "taint NAME KEY[=VALUE]:EFFECT[-] ...",
		Short:        "Set or remove taints on a member cluster",
		Example:      fmt.Sprintf(taintExample, parent),
		Args:         cobra.MinimumNArgs(2),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Cluster = args[0]
			for _, spec := range args[1:] {
				t, remove, err := ParseTaint(spec)
				if err != nil {
					return err
				}
				if remove {
					o.Remove = append(o.Remove, t)
				} else {
					o.Add = append(o.Add, t)
				}
			}
			return o.Run(cmd.Context())
		},
	}
}

// NewCmdCordon returns "cordon NAME".
func NewCmdCordon(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	return simple("cordon NAME", "Mark a member cluster as taking no new placements", cordonExample, parent, "cordoned",
		func(o *Options) { o.Add = []corev1.Taint{CordonTaint} }, configFlags, streams)
}

// NewCmdUncordon returns "uncordon NAME".
func NewCmdUncordon(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	return simple("uncordon NAME", "Let a cordoned member cluster take new placements again", uncordonExample, parent, "uncordoned",
		func(o *Options) { o.Remove = []corev1.Taint{CordonTaint} }, configFlags, streams)
}

func simple(use, short, example, parent, verb string, set func(*Options), configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{verb: verb, configFlags: configFlags, IOStreams: streams}
	return &cobra.Command{
		Use:          use,
		Short:        short,
		Example:      fmt.Sprintf(example, parent),
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Cluster = args[0]
			set(o)
			return o.Run(cmd.Context())
		},
	}
}

// ParseTaint reads "key[=value]:effect" with an optional trailing "-"
// that asks for removal (then the effect may be left out: "key-").
func ParseTaint(spec string) (corev1.Taint, bool, error) {
	remove := strings.HasSuffix(spec, "-")
	spec = strings.TrimSuffix(spec, "-")
	keyValue, effect, hasEffect := strings.Cut(spec, ":")
	key, value, _ := strings.Cut(keyValue, "=")
	t := corev1.Taint{Key: key, Value: value, Effect: corev1.TaintEffect(effect)}
	if errs := validation.IsQualifiedName(key); len(errs) > 0 {
		return t, false, fmt.Errorf("taint %q: invalid key: %s", spec, strings.Join(errs, "; "))
	}
	if value != "" {
		if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
			return t, false, fmt.Errorf("taint %q: invalid value: %s", spec, strings.Join(errs, "; "))
		}
	}
	switch {
	case !hasEffect && remove:
	case t.Effect == corev1.TaintEffectNoSchedule, t.Effect == corev1.TaintEffectPreferNoSchedule, t.Effect == corev1.TaintEffectNoExecute:
	default:
		return t, false, fmt.Errorf("taint %q: the effect must be NoSchedule, PreferNoSchedule or NoExecute", spec)
	}
	return t, remove, nil
}

// Run changes the Cluster's taints.
func (o *Options) Run(ctx context.Context) error {
	cfg, err := o.configFlags.ToRESTConfig()
	if err != nil {
		return err
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme.New()})
	if err != nil {
		return err
	}
	changed, err := SetTaints(ctx, c, o.Cluster, o.Add, o.Remove)
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

// SetTaints adds and removes taints of a Cluster and reports whether
// anything changed. Taints are a list that a merge patch replaces whole: it
// locks on the resourceVersion so a taint the controllers set meanwhile is
// not lost, and tries again on a conflict.
func SetTaints(ctx context.Context, c client.Client, name string, add, remove []corev1.Taint) (bool, error) {
	changed := false
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cluster := &clusterv1alpha1.Cluster{}
		if err := c.Get(ctx, client.ObjectKey{Name: name}, cluster); err != nil {
			return err
		}
		before := cluster.DeepCopy()
		taints := make([]corev1.Taint, 0, len(cluster.Spec.Taints)+len(add))
		for _, t := range cluster.Spec.Taints {
			if !matchesAny(t, remove) && !matchesAny(t, add) {
				taints = append(taints, t)
			}
		}
		cluster.Spec.Taints = append(taints, add...)
		changed = !apiequality.Semantic.DeepEqual(before.Spec.Taints, cluster.Spec.Taints)
		if !changed {
			return nil
		}
		return c.Patch(ctx, cluster, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{}))
	})
	return changed, err
}

// matchesAny reports whether t has the key (and, when given, the effect)
// of one of list.
func matchesAny(t corev1.Taint, list []corev1.Taint) bool {
	for _, l := range list {
		if t.Key == l.Key && (l.Effect == "" || t.Effect == l.Effect) {
			return true
		}
	}
	return false
}
