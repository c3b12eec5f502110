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

// Package explain implements "kubectl karmada explain-placement": why a
// template runs where it runs, cluster by cluster, from the scheduler's
// record in the binding; or, with --dry-run, what the scheduler would
// decide now, for the applied policy or for a policy file not yet applied.
package explain

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
	"github.com/kubectl-karmada/kubectl-karmada/internal/selector"
	"github.com/kubectl-karmada/kubectl-karmada/internal/target"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

var (
	long = templates.LongDesc(`
		Explain where a template runs and why: for every member cluster, whether the
		scheduler chose it, the replicas it got and how many it could hold, or the
		filter that left it out and the reason.

		Without --dry-run it shows the scheduler's last decision, as recorded in the
		binding. With --dry-run it schedules now, on the clusters as they are,
		without writing anything; with -f it uses a policy file that is not applied
		yet, to see what would happen if it were.`)

	example = templates.Examples(`
		# Why does nginx run where it runs?
		%[1]s explain-placement deployment/nginx

		# What would the scheduler decide now?
		%[1]s explain-placement deployment/nginx --dry-run

		# What if this policy were applied?
		%[1]s explain-placement deployment/nginx -f spread-policy.yaml

		# The explanation as YAML
		%[1]s explain-placement deployment/nginx -o yaml`)
)

// Options holds what explain-placement needs.
type Options struct {
	// Resource is "KIND/NAME".
	Resource string
	// PolicyFile is a PropagationPolicy or ClusterPropagationPolicy to try.
	PolicyFile string
	// DryRun schedules now instead of reading the last decision.
	DryRun      bool
	configFlags *genericclioptions.ConfigFlags
	printFlags  *genericclioptions.PrintFlags
	// printer is nil for the table for people.
	printer printers.ResourcePrinter
	client  client.Client
	target  target.Target
	genericiooptions.IOStreams
}

// ExplanationKind is the kind -o json|yaml names, in group version
// ExplanationGroupVersion: the output is not an API object, but printers
// and scripts want to know what they read.
const (
	ExplanationKind         = "PlacementExplanation"
	ExplanationGroupVersion = "explain.kubectl-karmada.io/v1alpha1"
)

// Explanation is what the command prints.
type Explanation struct {
	metav1.TypeMeta `json:",inline"`
	Template        string `json:"template"`
	Binding         string `json:"binding,omitempty"`
	Policy          string `json:"policy,omitempty"`
	Mode            string `json:"mode"`
	Replicas        int32  `json:"replicas"`
	DryRun          bool   `json:"dryRun,omitempty"`
	Scheduled       string `json:"scheduled"`
	Reason          string `json:"reason,omitempty"`
	Message         string `json:"message,omitempty"`
	AffinityName    string `json:"affinityName,omitempty"`
	// Current is the placement the binding holds now; with --dry-run it is
	// compared to the decision.
	Current   []workv1alpha2.TargetCluster   `json:"current,omitempty"`
	Decisions []workv1alpha2.ClusterDecision `json:"decisions"`
	Omitted   int32                          `json:"omitted,omitempty"`
	// NotJoined are clusters the policy names that are not joined.
	NotJoined []string `json:"notJoined,omitempty"`
	// Evictions are the clusters failover is taking the workload from.
	Evictions []workv1alpha2.GracefulEvictionTask `json:"evictions,omitempty"`
}

// DeepCopyObject makes Explanation a runtime.Object for kubectl's printers.
func (e *Explanation) DeepCopyObject() runtime.Object {
	c := *e
	c.Current = append([]workv1alpha2.TargetCluster(nil), e.Current...)
	c.NotJoined = append([]string(nil), e.NotJoined...)
	c.Evictions = make([]workv1alpha2.GracefulEvictionTask, len(e.Evictions))
	for i := range e.Evictions {
		e.Evictions[i].DeepCopyInto(&c.Evictions[i])
	}
	c.Decisions = make([]workv1alpha2.ClusterDecision, len(e.Decisions))
	for i := range e.Decisions {
		e.Decisions[i].DeepCopyInto(&c.Decisions[i])
	}
	return &c
}

// NewCmdExplain returns the explain-placement command.
func NewCmdExplain(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{configFlags: configFlags, printFlags: genericclioptions.NewPrintFlags("").WithDefaultOutput(""), IOStreams: streams}
	cmd := &cobra.Command{
		Use:          "explain-placement KIND/NAME [--dry-run] [-f POLICY_FILE]",
		Short:        "Explain why a template runs in the clusters it runs in",
		Long:         long,
		Example:      fmt.Sprintf(example, parent),
		Args:         cobra.ExactArgs(1),
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
	cmd.Flags().StringVarP(&o.PolicyFile, "filename", "f", "", "A policy file to try instead of the applied policy (implies --dry-run)")
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "Schedule now, on the clusters as they are, and write nothing")
	o.printFlags.AddFlags(cmd)
	_ = cmd.MarkFlagFilename("filename", "yaml", "yml", "json")
	return cmd
}

// Complete connects and resolves KIND/NAME.
func (o *Options) Complete(args []string) error {
	o.Resource = args[0]
	if o.PolicyFile != "" {
		o.DryRun = true
	}
	ns, _, err := o.configFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return err
	}
	if o.target, err = target.Resolve(o.configFlags, o.Resource, ns); err != nil {
		return err
	}
	o.client, err = connect.Client(o.configFlags)
	return err
}

// Validate checks the flags: -o is any of kubectl's printers (json, yaml,
// jsonpath, go-template...), or nothing for the table.
func (o *Options) Validate() error {
	if o.printFlags.OutputFormat == nil || *o.printFlags.OutputFormat == "" {
		return nil
	}
	var err error
	o.printer, err = o.printFlags.ToPrinter()
	return err
}

// Run explains.
func (o *Options) Run(ctx context.Context) error {
	binding, err := o.binding(ctx)
	if err != nil {
		return err
	}
	var e *Explanation
	if o.DryRun {
		e, err = o.whatIf(ctx, binding)
	} else {
		e = o.recorded(binding)
		err = o.notJoined(ctx, e, binding.BindingSpec().Placement)
	}
	if err != nil {
		return err
	}
	if binding != nil {
		e.Evictions = binding.BindingSpec().GracefulEvictionTasks
	}
	if o.printer == nil {
		return Print(o.Out, e)
	}
	e.APIVersion, e.Kind = ExplanationGroupVersion, ExplanationKind
	return o.printer.PrintObj(e, o.Out)
}

// notJoined fills in the clusters placement names that are not joined.
func (o *Options) notJoined(ctx context.Context, e *Explanation, placement *policyv1alpha1.Placement) error {
	var clusters clusterv1alpha1.ClusterList
	if err := o.client.List(ctx, &clusters); err != nil {
		return err
	}
	e.NotJoined = scheduling.Unknown(placement, clusters.Items)
	return nil
}

// binding reads the template's binding; nil when it has none.
func (o *Options) binding(ctx context.Context) (workv1alpha2.Binding, error) {
	b := workv1alpha2.NewBinding(o.target.Namespace, names.BindingName(o.target.GVK.Kind, o.target.Name))
	err := o.client.Get(ctx, client.ObjectKeyFromObject(b), b)
	switch {
	case apierrors.IsNotFound(err) && o.DryRun:
		return nil, nil
	case apierrors.IsNotFound(err):
		if _, err := o.target.Get(ctx, o.client); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s has no binding: no policy selects it (try --dry-run -f POLICY_FILE)", o.target)
	case err != nil:
		return nil, err
	}
	return b, nil
}

// recorded is the scheduler's last decision, from the binding status.
func (o *Options) recorded(b workv1alpha2.Binding) *Explanation {
	spec, status := b.BindingSpec(), b.BindingStatus()
	e := &Explanation{
		Template: o.describeTarget(), Binding: b.GetName(), Policy: names.PolicyOf(b.GetAnnotations()), Mode: scheduling.Mode(spec.Placement),
		Replicas: spec.Replicas, Scheduled: "Unknown", AffinityName: status.SchedulerObservingAffinityName,
		Current: spec.Clusters, Decisions: status.SchedulingDecisions, Omitted: status.OmittedSchedulingDecisions,
	}
	if c := meta.FindStatusCondition(status.Conditions, workv1alpha2.Scheduled); c != nil {
		e.Scheduled, e.Reason, e.Message = string(c.Status), c.Reason, c.Message
	}
	if len(e.Decisions) == 0 {
		e.Message = strings.TrimSpace(e.Message + " (the scheduler has recorded no decisions yet; try --dry-run)")
	}
	return e
}

// whatIf schedules now, as the scheduler would: the input is the binding
// as it stands, or, with a policy file, the binding the detector would
// write for the template under that policy.
func (o *Options) whatIf(ctx context.Context, b workv1alpha2.Binding) (*Explanation, error) {
	tmpl, err := o.target.Get(ctx, o.client)
	if err != nil {
		return nil, err
	}
	e := &Explanation{Template: o.describeTarget(), DryRun: true}
	spec := &workv1alpha2.ResourceBindingSpec{}
	var self types.UID
	if b != nil {
		spec, self = b.BindingSpec().DeepCopy(), b.GetUID()
		e.Binding, e.Current, e.Policy = b.GetName(), spec.Clusters, names.PolicyOf(b.GetAnnotations())
	}
	switch {
	case o.PolicyFile != "":
		policy, err := o.readPolicy()
		if err != nil {
			return nil, err
		}
		if selector.Match(policy.spec.ResourceSelectors, policy.namespace, tmpl) == selector.None {
			return nil, fmt.Errorf("%s does not select %s: no resourceSelector picks it (apiVersion, kind, namespace, then name or labels)", o.PolicyFile, o.target)
		}
		replicas, requirements, err := workload.Replicas(tmpl)
		if err != nil {
			return nil, fmt.Errorf("reading the replicas of %s: %w", o.target, err)
		}
		spec.Resource = workv1alpha2.ObjectReference{APIVersion: tmpl.GetAPIVersion(), Kind: tmpl.GetKind(),
			Namespace: tmpl.GetNamespace(), Name: tmpl.GetName(), UID: tmpl.GetUID()}
		spec.Replicas, spec.ReplicaRequirements, spec.Placement = replicas, requirements, &policy.spec.Placement
		e.Policy = policy.name + " (from " + o.PolicyFile + ")"
	case b == nil || spec.Placement == nil:
		return nil, fmt.Errorf("%s has no binding yet: give a policy to try with -f POLICY_FILE", o.target)
	}
	w := scheduling.ForBinding(spec)
	e.Mode, e.Replicas = scheduling.Mode(&w.Placement), w.Replicas

	var clusters clusterv1alpha1.ClusterList
	if err := o.client.List(ctx, &clusters); err != nil {
		return nil, err
	}
	var reserved []workv1alpha2.Binding
	if scheduling.UsesCapacity(&w.Placement) {
		if reserved, err = workv1alpha2.ListBindings(ctx, o.client, ""); err != nil {
			return nil, err
		}
	}
	res, schedErr := scheduling.Schedule(w, scheduling.Candidates(clusters.Items, reserved, self))
	e.NotJoined = scheduling.Unknown(spec.Placement, clusters.Items)
	e.AffinityName = res.AffinityName
	e.Decisions, e.Omitted = scheduling.Bounded(res.Decisions, len(res.Decisions))
	e.Scheduled, e.Reason = "True", workv1alpha2.BindingReasonSuccess
	if schedErr != nil {
		e.Scheduled, e.Reason, e.Message = "False", scheduling.FailureReason(schedErr), schedErr.Error()
	}
	return e, nil
}

// filePolicy is the policy of a file: a PropagationPolicy (namespace set)
// or a ClusterPropagationPolicy.
type filePolicy struct {
	spec            policyv1alpha1.PropagationSpec
	namespace, name string
}

// readPolicy decodes the policy file. A PropagationPolicy without a
// namespace is taken to be in the template's, where it would be applied.
func (o *Options) readPolicy() (filePolicy, error) {
	data, err := os.ReadFile(o.PolicyFile)
	if err != nil {
		return filePolicy{}, err
	}
	obj, _, err := serializer.NewCodecFactory(scheme.New(), serializer.EnableStrict).UniversalDeserializer().Decode(data, nil, nil)
	if err != nil {
		return filePolicy{}, fmt.Errorf("%s: %w", o.PolicyFile, err)
	}
	switch p := obj.(type) {
	case *policyv1alpha1.PropagationPolicy:
		ns := p.Namespace
		if ns == "" {
			ns = o.target.Namespace
		}
		return filePolicy{p.Spec, ns, p.Name}, nil
	case *policyv1alpha1.ClusterPropagationPolicy:
		return filePolicy{p.Spec, "", "cpp/" + p.Name}, nil
	}
	return filePolicy{}, fmt.Errorf("%s holds a %s, not a PropagationPolicy or ClusterPropagationPolicy", o.PolicyFile, kindOf(obj))
}

func kindOf(obj runtime.Object) string {
	if k := obj.GetObjectKind().GroupVersionKind().Kind; k != "" {
		return k
	}
	return fmt.Sprintf("%T", obj)
}

func (o *Options) describeTarget() string {
	if o.target.Namespaced() {
		return o.target.GVK.Kind + " " + o.target.Namespace + "/" + o.target.Name
	}
	return o.target.GVK.Kind + " " + o.target.Name
}

// Print writes an explanation for people: a header, then one row per
// cluster. A dry run also shows what would change.
func Print(out io.Writer, e *Explanation) error {
	header := fmt.Sprintf("%s: %d replicas, %s", e.Template, e.Replicas, e.Mode)
	if e.Policy != "" {
		header += ", policy " + e.Policy
	}
	if e.AffinityName != "" {
		header += ", affinity term " + e.AffinityName
	}
	fmt.Fprintln(out, header)
	verb := "Scheduled"
	if e.DryRun {
		verb = "Would schedule (dry run)"
	}
	fmt.Fprintf(out, "%s: %s", verb, e.Scheduled)
	if e.Reason != "" {
		fmt.Fprintf(out, " (%s)", e.Reason)
	}
	if e.Message != "" && e.Scheduled != "True" {
		fmt.Fprintf(out, ": %s", e.Message)
	}
	fmt.Fprintln(out)
	if len(e.NotJoined) > 0 {
		fmt.Fprintf(out, "Not joined: %s (the policy names them; nothing goes there until they join)\n", strings.Join(e.NotJoined, ", "))
	}
	fmt.Fprintln(out)

	current := map[string]int32{}
	for _, t := range e.Current {
		current[t.Name] = t.Replicas
	}
	w := printers.GetNewTabWriter(out)
	head := "CLUSTER\tCHOSEN\tREPLICAS\tCAN HOLD\tWHY"
	if e.DryRun {
		head = "CLUSTER\tCHOSEN\tREPLICAS\tNOW\tCAN HOLD\tWHY"
	}
	fmt.Fprintln(w, head)
	for _, d := range e.Decisions {
		chosen, replicas, why := "no", "-", d.Reason
		if d.Selected {
			chosen, replicas = "yes", fmt.Sprint(d.Replicas)
		}
		if d.Filter != "" {
			why = d.Filter + ": " + d.Reason
		}
		canHold := "-"
		if d.AvailableReplicas != nil {
			canHold = fmt.Sprint(*d.AvailableReplicas)
		}
		cells := []string{d.Cluster, chosen, replicas}
		if e.DryRun {
			now := "-"
			if n, ok := current[d.Cluster]; ok {
				now = fmt.Sprint(n)
			}
			cells = append(cells, now)
		}
		cells = append(cells, canHold, orDash(why))
		fmt.Fprintln(w, strings.Join(cells, "\t"))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if e.Omitted > 0 {
		fmt.Fprintf(out, "(%d more clusters not shown)\n", e.Omitted)
	}
	return printEvictions(out, e.Evictions)
}

// printEvictions lists the clusters failover is taking the workload from,
// why, and what happens to the copy left there.
func printEvictions(out io.Writer, tasks []workv1alpha2.GracefulEvictionTask) error {
	if len(tasks) == 0 {
		return nil
	}
	fmt.Fprintln(out, "\nEvictions (failover):")
	w := printers.GetNewTabWriter(out)
	fmt.Fprintln(w, "FROM\tREPLICAS\tREASON\tPURGE\tSINCE\tMESSAGE")
	for _, t := range tasks {
		replicas, since := "-", "-"
		if t.Replicas != nil {
			replicas = fmt.Sprint(*t.Replicas)
		}
		if t.CreationTimestamp != nil {
			since = t.CreationTimestamp.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.FromCluster, replicas, t.Reason, orDash(string(t.PurgeMode)), since, orDash(t.Message))
	}
	return w.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
