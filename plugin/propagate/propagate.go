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

// Package propagate implements "kubectl karmada propagate": it writes a
// PropagationPolicy (or a ClusterPropagationPolicy for a cluster-scoped
// object) that sends one template to member clusters.
package propagate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
	"github.com/kubectl-karmada/kubectl-karmada/internal/taints"
	"github.com/kubectl-karmada/kubectl-karmada/internal/target"
)

var (
	long = templates.LongDesc(`
		Propagate one object of the control plane to member clusters by writing a
		PropagationPolicy for it (a ClusterPropagationPolicy for a cluster-scoped
		object). Without --weights or --divided every chosen cluster runs all
		replicas (Duplicated). Running it again updates the policy.`)

	example = templates.Examples(`
		# Run nginx in member1 and member2, all replicas in each
		%[1]s propagate deployment/nginx --clusters member1,member2

		# Divide nginx's replicas 1:3 between member1 and member2
		%[1]s propagate deployment/nginx --weights member1=1,member2=3

		# Divide them equally among three clusters
		%[1]s propagate deployment/nginx --clusters member1,member2,member3 --divided

		# Divide them by the free capacity of each cluster
		%[1]s propagate deployment/nginx --dynamic-weight

		# Pack them into as few clusters as can hold them
		%[1]s propagate deployment/nginx --aggregated

		# Run in two regions at least, on clusters labelled env=prod
		%[1]s propagate deployment/nginx --divided --spread-by region --min-groups 2 --cluster-labels env=prod

		# Also on cordoned clusters
		%[1]s propagate deployment/nginx --tolerate cluster.karmada.io/unschedulable:NoSchedule

		# Print the policy without creating it
		%[1]s propagate deployment/nginx --clusters member1 --dry-run=client -o yaml`)
)

// Options holds what propagate needs.
type Options struct {
	// Kind and Name of the object, as "KIND/NAME".
	Resource string
	// Namespace of the object (kubectl's -n).
	Namespace string
	// Clusters to choose from.
	Clusters []string
	// Weights divide replicas by a static weight list, "cluster=weight".
	Weights map[string]string
	// Divided divides replicas equally.
	Divided bool
	// Duplicated runs all replicas in every cluster (the default).
	Duplicated bool
	// DynamicWeight divides replicas by what each cluster can still hold.
	DynamicWeight bool
	// Aggregated packs replicas into as few clusters as can hold them.
	Aggregated bool
	// SpreadBy spreads the clusters over regions, zones, providers or
	// single clusters.
	SpreadBy string
	// MinGroups and MaxGroups bound the groups of SpreadBy.
	MinGroups, MaxGroups int
	// ClusterLabels choose clusters by label.
	ClusterLabels map[string]string
	// Regions choose clusters by region.
	Regions []string
	// Tolerate lets the object go to clusters with these taints,
	// "KEY[=VALUE]:EFFECT".
	Tolerate []string
	// PolicyName overrides the default "<name>-<kind>".
	PolicyName string
	// DryRun is kubectl's --dry-run: none, client (print only) or server
	// (validated by the API server, nothing stored).
	DryRun cmdutil.DryRunStrategy

	configFlags *genericclioptions.ConfigFlags
	printFlags  *genericclioptions.PrintFlags
	printer     printers.ResourcePrinter
	client      client.Client
	target      target.Target
	tolerations []corev1.Toleration
	genericiooptions.IOStreams
}

// NewCmdPropagate returns the propagate command.
func NewCmdPropagate(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{configFlags: configFlags, printFlags: genericclioptions.NewPrintFlags("propagated").WithDefaultOutput(""), IOStreams: streams}
	cmd := &cobra.Command{
		Use:          "propagate KIND/NAME [--clusters C1,C2] [--weights C1=W1,C2=W2 | --divided | --dynamic-weight | --aggregated | --duplicated]",
		Short:        "Propagate an object of the control plane to member clusters",
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
	f := cmd.Flags()
	f.StringSliceVar(&o.Clusters, "clusters", nil, "Member clusters to choose from (default: all, or those of --weights)")
	f.StringToStringVar(&o.Weights, "weights", nil, "Divide replicas by static weights, such as member1=1,member2=3")
	f.BoolVar(&o.Divided, "divided", false, "Divide replicas equally among the clusters")
	f.BoolVar(&o.Duplicated, "duplicated", false, "Run all replicas in every cluster (the default)")
	f.BoolVar(&o.DynamicWeight, "dynamic-weight", false, "Divide replicas by what each cluster can still hold")
	f.BoolVar(&o.Aggregated, "aggregated", false, "Pack replicas into as few clusters as can hold them")
	f.StringVar(&o.SpreadBy, "spread-by", "", "Spread over groups of clusters: region, zone, provider or cluster")
	f.IntVar(&o.MinGroups, "min-groups", 1, "With --spread-by, the fewest groups to use")
	f.IntVar(&o.MaxGroups, "max-groups", 0, "With --spread-by, the most groups to use (0: no limit)")
	f.StringToStringVar(&o.ClusterLabels, "cluster-labels", nil, "Only clusters with these labels, such as env=prod")
	f.StringSliceVar(&o.Regions, "region", nil, "Only clusters in these regions")
	f.StringArrayVar(&o.Tolerate, "tolerate", nil, "Tolerate a cluster taint, KEY[=VALUE]:EFFECT (repeatable)")
	f.StringVar(&o.PolicyName, "name", "", "Name of the policy (default: NAME-KIND)")
	cmdutil.AddDryRunFlag(cmd)
	o.printFlags.AddFlags(cmd)
	return cmd
}

// Complete resolves KIND/NAME against the control plane.
func (o *Options) Complete(args []string) error {
	o.Resource = args[0]
	ns, _, err := o.configFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return err
	}
	o.Namespace = ns
	if o.client, err = connect.Client(o.configFlags); err != nil {
		return err
	}
	if o.target, err = target.Resolve(o.configFlags, o.Resource, o.Namespace); err != nil {
		return err
	}
	if o.DryRun == cmdutil.DryRunClient || o.printFlags.OutputFlagSpecified() {
		if o.printer, err = o.printFlags.ToPrinter(); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the flags.
func (o *Options) Validate() error {
	modes := 0
	for _, set := range []bool{len(o.Weights) > 0, o.Divided, o.Duplicated, o.DynamicWeight, o.Aggregated} {
		if set {
			modes++
		}
	}
	if modes > 1 {
		return errors.New("use only one of --weights, --divided, --dynamic-weight, --aggregated and --duplicated")
	}
	switch o.SpreadBy {
	case "", "region", "zone", "provider", "cluster":
	default:
		return fmt.Errorf("--spread-by must be region, zone, provider or cluster, not %q", o.SpreadBy)
	}
	if o.MinGroups < 0 || o.MaxGroups < 0 || (o.MaxGroups > 0 && o.MaxGroups < o.MinGroups) {
		return fmt.Errorf("--min-groups %d and --max-groups %d: both at least 0, and max not below min", o.MinGroups, o.MaxGroups)
	}
	o.tolerations = nil
	for _, s := range o.Tolerate {
		t, err := taints.ParseToleration(s)
		if err != nil {
			return fmt.Errorf("--tolerate: %w", err)
		}
		o.tolerations = append(o.tolerations, t)
	}
	for cluster, w := range o.Weights {
		if n, err := strconv.ParseInt(w, 10, 64); err != nil || n < 1 {
			return fmt.Errorf("--weights %s=%s: the weight must be a whole number of at least 1", cluster, w)
		}
	}
	for _, c := range append(o.Clusters, keys(o.Weights)...) {
		if errs := validation.IsDNS1123Label(c); len(errs) > 0 {
			return fmt.Errorf("cluster name %q: %s", c, strings.Join(errs, "; "))
		}
	}
	return nil
}

// Run writes (or prints) the policy.
func (o *Options) Run(ctx context.Context) error {
	if _, err := o.target.Get(ctx, o.client); err != nil {
		return err
	}
	policy := o.policy()
	if err := o.warnNotJoined(ctx, policy); err != nil {
		return err
	}
	if o.DryRun == cmdutil.DryRunClient {
		return o.printer.PrintObj(policy, o.Out)
	}
	opts := []client.PatchOption{client.FieldOwner("kubectl-karmada"), client.ForceOwnership}
	if o.DryRun == cmdutil.DryRunServer {
		opts = append(opts, client.DryRunAll)
	}
	if err := o.client.Patch(ctx, policy, client.Apply, opts...); err != nil { //nolint:staticcheck // typed apply configurations are not generated for these types
		return fmt.Errorf("writing the policy: %w", err)
	}
	if o.printer != nil {
		return o.printer.PrintObj(policy, o.Out)
	}
	kind := "propagationpolicy"
	if !o.target.Namespaced() {
		kind = "clusterpropagationpolicy"
	}
	fmt.Fprintf(o.Out, "%s.policy.karmada.io/%s written: %s\n", kind, policy.GetName(), o.describe())
	return nil
}

// warnNotJoined says which clusters the policy names that are not
// joined: a typo would otherwise send every replica elsewhere in silence.
func (o *Options) warnNotJoined(ctx context.Context, policy client.Object) error {
	var clusters clusterv1alpha1.ClusterList
	if err := o.client.List(ctx, &clusters); err != nil {
		return err
	}
	var placement *policyv1alpha1.Placement
	switch p := policy.(type) {
	case *policyv1alpha1.PropagationPolicy:
		placement = &p.Spec.Placement
	case *policyv1alpha1.ClusterPropagationPolicy:
		placement = &p.Spec.Placement
	}
	if missing := scheduling.Unknown(placement, clusters.Items); len(missing) > 0 {
		joined := make([]string, 0, len(clusters.Items))
		for _, c := range clusters.Items {
			joined = append(joined, c.Name)
		}
		fmt.Fprintf(o.ErrOut, "Warning: not joined: %s (joined: %s); nothing goes there until it joins.\n",
			strings.Join(missing, ", "), strings.Join(joined, ", "))
	}
	return nil
}

// policy builds the PropagationPolicy (or ClusterPropagationPolicy).
func (o *Options) policy() client.Object {
	name := o.PolicyName
	if name == "" {
		name = strings.ToLower(o.target.Name + "-" + o.target.GVK.Kind)
	}
	spec := policyv1alpha1.PropagationSpec{
		ResourceSelectors: []policyv1alpha1.ResourceSelector{{
			APIVersion: o.target.GVK.GroupVersion().String(), Kind: o.target.GVK.Kind, Name: o.target.Name,
		}},
	}
	clusters := o.Clusters
	if len(clusters) == 0 {
		clusters = keys(o.Weights)
	}
	affinity := policyv1alpha1.ClusterAffinity{ClusterNames: clusters}
	if len(o.ClusterLabels) > 0 {
		affinity.LabelSelector = &metav1.LabelSelector{MatchLabels: o.ClusterLabels}
	}
	if len(o.Regions) > 0 {
		affinity.FieldSelector = &policyv1alpha1.FieldSelector{MatchExpressions: []policyv1alpha1.FieldSelectorRequirement{
			{Key: "region", Operator: corev1.NodeSelectorOpIn, Values: o.Regions},
		}}
	}
	if len(clusters) > 0 || affinity.LabelSelector != nil || affinity.FieldSelector != nil {
		spec.Placement.ClusterAffinity = &affinity
	}
	spec.Placement.ClusterTolerations = o.tolerations
	if o.SpreadBy != "" {
		by := policyv1alpha1.SpreadFieldValue(o.SpreadBy)
		spec.Placement.SpreadConstraints = []policyv1alpha1.SpreadConstraint{{SpreadByField: by, MinGroups: o.MinGroups, MaxGroups: o.MaxGroups}}
		if by != policyv1alpha1.SpreadByFieldCluster {
			// Karmada asks for a cluster constraint beside a field one.
			spec.Placement.SpreadConstraints = append(spec.Placement.SpreadConstraints,
				policyv1alpha1.SpreadConstraint{SpreadByField: policyv1alpha1.SpreadByFieldCluster, MinGroups: o.MinGroups})
		}
	}
	switch {
	case len(o.Weights) > 0:
		list := make([]policyv1alpha1.StaticClusterWeight, 0, len(o.Weights))
		for _, c := range keys(o.Weights) {
			w, _ := strconv.ParseInt(o.Weights[c], 10, 64)
			list = append(list, policyv1alpha1.StaticClusterWeight{TargetCluster: policyv1alpha1.ClusterAffinity{ClusterNames: []string{c}}, Weight: w})
		}
		spec.Placement.ReplicaScheduling = &policyv1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
			ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceWeighted,
			WeightPreference:          &policyv1alpha1.ClusterPreferences{StaticWeightList: list},
		}
	case o.Divided:
		spec.Placement.ReplicaScheduling = &policyv1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
			ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceWeighted,
		}
	case o.DynamicWeight:
		spec.Placement.ReplicaScheduling = &policyv1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
			ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceWeighted,
			WeightPreference:          &policyv1alpha1.ClusterPreferences{DynamicWeight: policyv1alpha1.DynamicWeightByAvailableReplicas},
		}
	case o.Aggregated:
		spec.Placement.ReplicaScheduling = &policyv1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
			ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceAggregated,
		}
	default:
		spec.Placement.ReplicaScheduling = &policyv1alpha1.ReplicaSchedulingStrategy{
			ReplicaSchedulingType: policyv1alpha1.ReplicaSchedulingTypeDuplicated,
		}
	}
	meta := metav1.ObjectMeta{Name: name}
	if o.target.Namespaced() {
		meta.Namespace = o.Namespace
		return &policyv1alpha1.PropagationPolicy{
			TypeMeta: metav1.TypeMeta{APIVersion: policyv1alpha1.GroupVersion.String(), Kind: "PropagationPolicy"}, ObjectMeta: meta, Spec: spec,
		}
	}
	return &policyv1alpha1.ClusterPropagationPolicy{
		TypeMeta: metav1.TypeMeta{APIVersion: policyv1alpha1.GroupVersion.String(), Kind: "ClusterPropagationPolicy"}, ObjectMeta: meta, Spec: spec,
	}
}

func (o *Options) describe() string {
	how := o.division()
	if o.SpreadBy != "" {
		how += fmt.Sprintf(", spread over at least %d %s group(s)", o.MinGroups, o.SpreadBy)
		if o.MaxGroups > 0 {
			how += fmt.Sprintf(" and at most %d", o.MaxGroups)
		}
	}
	if len(o.tolerations) > 0 {
		how += ", tolerating " + strings.Join(o.Tolerate, ", ")
	}
	return how
}

func (o *Options) division() string {
	where := "all clusters"
	if len(o.Clusters) > 0 {
		where = strings.Join(o.Clusters, ", ")
	}
	if len(o.Regions) > 0 {
		where += " in " + strings.Join(o.Regions, ", ")
	}
	if len(o.ClusterLabels) > 0 {
		where += " labelled " + strings.Join(pairs(o.ClusterLabels), ",")
	}
	switch {
	case len(o.Weights) > 0:
		return "replicas divided by weight " + strings.Join(pairs(o.Weights), ", ")
	case o.Divided:
		return "replicas divided equally over " + where
	case o.DynamicWeight:
		return "replicas divided by free capacity over " + where
	case o.Aggregated:
		return "replicas packed into as few clusters as can hold them, from " + where
	}
	return "all replicas in each of " + where
}

// pairs is m as sorted "k=v" strings.
func pairs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range keys(m) {
		out = append(out, k+"="+m[k])
	}
	return out
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
