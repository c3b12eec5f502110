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

// Package join implements "kubectl karmada join": it registers a member
// cluster with the control plane in Push mode.
package join

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/api/crds"
	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/crdinstall"
	"github.com/kubectl-karmada/kubectl-karmada/internal/memberaccess"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/redact"
)

var (
	long = templates.LongDesc(`
		Join a member cluster to the control plane in Push mode.

		In the member, join creates a ServiceAccount karmada-NAME with a token, a
		ClusterRole that lets the controllers run workloads (no RBAC, webhooks, CRDs,
		tokens, exec or node proxy; Secrets only in the namespaces they deploy
		Secrets to), and a ValidatingAdmissionPolicy that keeps that identity out of
		kube-system, kube-public, kube-node-lease, karmada-cluster and the
		--protected-namespaces; --grant adds kinds beyond workloads, saying what each
		allows (docs/security.md). It installs the Multi-Cluster Services CRDs when
		missing. On the control plane it keeps the token in a Secret in
		karmada-cluster and creates the Cluster NAME. If any step fails, what join created is removed
		again. Joining the same cluster again changes nothing but its member
		identity's rights, which it brings to that join's --grant and
		--protected-namespaces: that is how a grant is added or taken back.`)

	example = templates.Examples(`
		# Join member1 from a kubeconfig file
		%[1]s join member1 --cluster-kubeconfig ~/.kube/karmada.config --cluster-context member1

		# Join with topology, used by placement rules
		%[1]s join member3 --cluster-kubeconfig m3.config --cluster-provider aws --cluster-region eu-west --cluster-zones eu-west-1a

		# Also propagate Roles and RoleBindings, and keep the identity out of argocd
		%[1]s join member2 --cluster-kubeconfig m2.config --grant rbac.authorization.k8s.io/roles,rbac.authorization.k8s.io/rolebindings --protected-namespaces argocd

		# Show the objects join would create
		%[1]s join member1 --cluster-kubeconfig m1.config --dry-run -o yaml`)
)

// Options holds what join needs.
type Options struct {
	// Name of the Cluster to create.
	Name string
	// ClusterKubeconfig and ClusterContext reach the member.
	ClusterKubeconfig string
	ClusterContext    string
	// ClusterNamespace holds the member's credentials on the control plane.
	ClusterNamespace string
	// Provider, Region and Zones describe where the member sits.
	Provider, Region string
	Zones            []string
	// Protected are namespaces, beyond kube-system, kube-public,
	// kube-node-lease and karmada-cluster, that the member identity may
	// not write in.
	Protected []string
	// Grant names kinds beyond the workloads that the member identity may
	// write (GROUP/RESOURCE).
	Grant []string
	// DryRun prints the objects instead of creating them.
	DryRun bool
	// Timeout bounds each wait (member reachable, token issued).
	Timeout time.Duration

	configFlags  *genericclioptions.ConfigFlags
	printFlags   *genericclioptions.PrintFlags
	printer      printers.ResourcePrinter
	controlPlane *rest.Config
	member       *rest.Config
	grants       []memberaccess.Grant
	genericiooptions.IOStreams
}

// NewCmdJoin returns the join command; configFlags reach the control plane.
func NewCmdJoin(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{
		ClusterNamespace: names.ClusterNamespace,
		Timeout:          30 * time.Second,
		configFlags:      configFlags,
		printFlags:       genericclioptions.NewPrintFlags(""),
		IOStreams:        streams,
	}
	cmd := &cobra.Command{
		Use:          "join NAME --cluster-kubeconfig FILE",
		Short:        "Join a member cluster to the control plane",
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
	f := cmd.Flags()
	f.StringVar(&o.ClusterKubeconfig, "cluster-kubeconfig", "", "Kubeconfig of the member cluster")
	f.StringVar(&o.ClusterContext, "cluster-context", "", "Context of --cluster-kubeconfig (default: its current context)")
	f.StringVar(&o.ClusterNamespace, "cluster-namespace", o.ClusterNamespace, "Namespace of the control plane that keeps member credentials")
	f.StringVar(&o.Provider, "cluster-provider", "", "Cloud provider of the member")
	f.StringVar(&o.Region, "cluster-region", "", "Region of the member")
	f.StringSliceVar(&o.Zones, "cluster-zones", nil, "Zones of the member, comma-separated")
	f.StringSliceVar(&o.Protected, "protected-namespaces", nil,
		"Namespaces of the member, besides kube-system, kube-public, kube-node-lease and karmada-cluster, where the member identity may write nothing (e.g. one whose ServiceAccounts hold cluster-wide rights)")
	f.StringSliceVar(&o.Grant, "grant", nil,
		"Let the member identity also write GROUP/RESOURCE (e.g. rbac.authorization.k8s.io/roles, apiextensions.k8s.io/customresourcedefinitions), to propagate kinds beyond workloads; join says what each grant allows")
	f.BoolVar(&o.DryRun, "dry-run", false, "Print the objects join would create; create nothing")
	f.DurationVar(&o.Timeout, "timeout", o.Timeout, "How long to wait for the member and its token")
	o.printFlags.AddFlags(cmd)
	_ = cmd.MarkFlagRequired("cluster-kubeconfig")
	_ = cmd.MarkFlagFilename("cluster-kubeconfig")
	return cmd
}

// Complete loads both configs.
func (o *Options) Complete(args []string) error {
	o.Name = args[0]
	var err error
	if o.controlPlane, err = o.configFlags.ToRESTConfig(); err != nil {
		return fmt.Errorf("loading the control-plane kubeconfig: %w", err)
	}
	o.member, err = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.ClusterKubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: o.ClusterContext},
	).ClientConfig()
	if err != nil {
		return fmt.Errorf("loading --cluster-kubeconfig: %w", err)
	}
	o.member.Timeout = o.Timeout
	for _, g := range o.Grant {
		grant, err := memberaccess.ParseGrant(g)
		if err != nil {
			return err
		}
		o.grants = append(o.grants, grant)
	}
	if o.DryRun {
		if o.printer, err = o.printFlags.ToPrinter(); err != nil {
			return err
		}
		// A dry run shows which Secrets would be written, never their keys.
		o.printer = redact.Printer(o.printer)
	}
	return nil
}

// Validate checks the name and flags.
func (o *Options) Validate() error {
	if errs := validation.IsDNS1123Label(o.Name); len(errs) > 0 {
		return fmt.Errorf("cluster name %q is not a DNS label: %s", o.Name, strings.Join(errs, "; "))
	}
	if len(o.Name) > 48 {
		return fmt.Errorf("cluster name %q is longer than 48 characters", o.Name)
	}
	if o.Timeout <= 0 {
		return errors.New("--timeout must be positive")
	}
	for _, ns := range o.Protected {
		if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
			return fmt.Errorf("--protected-namespaces: %q is not a namespace name: %s", ns, strings.Join(errs, "; "))
		}
	}
	return nil
}

// Run joins the member.
func (o *Options) Run(ctx context.Context) error {
	cp, err := connect.NewClient(o.controlPlane)
	if err != nil {
		return err
	}
	memberClient, err := kubernetes.NewForConfig(o.member)
	if err != nil {
		return err
	}
	version, err := memberClient.Discovery().ServerVersion()
	if err != nil {
		return fmt.Errorf("cluster %s is not reachable at %s: %w", o.Name, o.member.Host, err)
	}
	kubeSystem, err := memberClient.CoreV1().Namespaces().Get(ctx, metav1.NamespaceSystem, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("reading the member's kube-system namespace: %w", err)
	}

	existing := &clusterv1alpha1.Cluster{}
	err = cp.Get(ctx, client.ObjectKey{Name: o.Name}, existing)
	switch {
	case err == nil && existing.Spec.ID == string(kubeSystem.UID):
		return o.rejoin(ctx)
	case err == nil:
		return fmt.Errorf("a different cluster is already joined as %s (endpoint %s); unjoin it first or pick another name", o.Name, existing.Spec.APIEndpoint)
	case meta.IsNoMatchError(err):
		return errors.New("the control plane has no Cluster API: run \"kubectl karmada init\" first")
	case !apierrors.IsNotFound(err):
		return fmt.Errorf("reading Cluster %s: %w", o.Name, err)
	}

	// The same member under another name would get every workload twice.
	var clusters clusterv1alpha1.ClusterList
	if err = cp.List(ctx, &clusters); err != nil {
		return fmt.Errorf("listing Clusters: %w", err)
	}
	for _, c := range clusters.Items {
		if c.Spec.ID == string(kubeSystem.UID) {
			return fmt.Errorf("this member is already joined as %s", c.Name)
		}
	}

	m := memberObjects(o.Name, append(slices.Clone(memberaccess.DefaultProtected), o.Protected...), o.grants)
	for _, g := range o.grants {
		fmt.Fprintf(o.ErrOut, "Warning: %s.\n", g.Warning())
	}
	cluster := o.cluster(string(kubeSystem.UID))
	if o.DryRun {
		for _, obj := range append(m.objects(), client.Object(cluster)) {
			if err := o.printer.PrintObj(obj, o.Out); err != nil {
				return err
			}
		}
		return nil
	}

	var undo undoStack
	defer func() {
		if err != nil {
			undo.run(context.WithoutCancel(ctx))
		}
	}()
	inMember, err := connect.NewClient(o.member)
	if err != nil {
		return err
	}
	token, caBundle, err := m.create(ctx, inMember, &undo, o.Timeout)
	if err != nil {
		return fmt.Errorf("preparing the member: %w", err)
	}
	mcs, err := crds.MCS()
	if err != nil {
		return err
	}
	if _, err = crdinstall.Apply(ctx, o.member, mcs, o.Timeout); err != nil {
		return fmt.Errorf("installing the MCS CRDs in the member: %w", err)
	}

	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: o.ClusterNamespace, Name: o.Name},
		Data:       map[string][]byte{"token": token, "caBundle": caBundle},
	}
	if err = createOrUpdate(ctx, cp, secret); err != nil {
		return fmt.Errorf("storing the member's credentials: %w", err)
	}
	undo.push(func(ctx context.Context) { _ = cp.Delete(ctx, secret) })
	if err = cp.Create(ctx, cluster); err != nil {
		return fmt.Errorf("creating Cluster %s: %w", o.Name, err)
	}
	fmt.Fprintf(o.Out, "Cluster %s joined (Kubernetes %s at %s).\n", o.Name, version.GitVersion, o.member.Host)
	return nil
}

// rejoin handles a join of a cluster already joined: its member identity
// is brought to this join's --grant and --protected-namespaces (a join
// again is how a grant is added or taken back); nothing else changes.
func (o *Options) rejoin(ctx context.Context) error {
	m := memberObjects(o.Name, append(slices.Clone(memberaccess.DefaultProtected), o.Protected...), o.grants)
	inMember, err := connect.NewClient(o.member)
	if err != nil {
		return err
	}
	if o.DryRun {
		fmt.Fprintf(o.Out, "Cluster %s is already joined; its member identity would hold what these flags say (dry run).\n", o.Name)
		return nil
	}
	changed, err := m.update(ctx, inMember)
	if err != nil {
		return fmt.Errorf("updating the member identity of %s: %w", o.Name, err)
	}
	if !changed {
		fmt.Fprintf(o.Out, "Cluster %s is already joined; nothing changed.\n", o.Name)
		return nil
	}
	for _, g := range o.grants {
		fmt.Fprintf(o.ErrOut, "Warning: %s.\n", g.Warning())
	}
	grants := "workloads only"
	if len(o.grants) > 0 {
		list := make([]string, 0, len(o.grants))
		for _, g := range o.grants {
			list = append(list, g.String())
		}
		grants = "workloads and " + strings.Join(list, ", ")
	}
	fmt.Fprintf(o.Out, "Cluster %s is already joined; its member identity now holds %s.\n", o.Name, grants)
	return nil
}

func (o *Options) cluster(id string) *clusterv1alpha1.Cluster {
	return &clusterv1alpha1.Cluster{
		TypeMeta:   metav1.TypeMeta{APIVersion: clusterv1alpha1.GroupVersion.String(), Kind: "Cluster"},
		ObjectMeta: metav1.ObjectMeta{Name: o.Name},
		Spec: clusterv1alpha1.ClusterSpec{
			ID:          id,
			SyncMode:    clusterv1alpha1.Push,
			APIEndpoint: o.member.Host,
			SecretRef:   &clusterv1alpha1.LocalSecretReference{Namespace: o.ClusterNamespace, Name: o.Name},
			Provider:    o.Provider,
			Region:      o.Region,
			Zones:       o.Zones,
		},
	}
}

func createOrUpdate(ctx context.Context, c client.Client, secret *corev1.Secret) error {
	err := c.Create(ctx, secret)
	if apierrors.IsAlreadyExists(err) {
		return c.Update(ctx, secret)
	}
	return err
}

// undoStack runs, newest first, the steps that remove what join created.
type undoStack []func(context.Context)

func (u *undoStack) push(f func(context.Context)) { *u = append(*u, f) }

func (u undoStack) run(ctx context.Context) {
	for i := len(u) - 1; i >= 0; i-- {
		u[i](ctx)
	}
}

// waitFor polls until cond holds or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, cond wait.ConditionWithContextFunc) error {
	return wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, timeout, true, cond)
}
