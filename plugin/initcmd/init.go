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
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubectl/pkg/util/templates"
	ctrlclient "sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/api/crds"
	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/crdinstall"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/pki"
	"github.com/kubectl-karmada/kubectl-karmada/internal/rbac"
	"github.com/kubectl-karmada/kubectl-karmada/internal/redact"
	"github.com/kubectl-karmada/kubectl-karmada/internal/version"
)

var (
	long = templates.LongDesc(`
		Make a control plane for kubectl karmada: a Kubernetes API for templates and
		policies (a Deployment there is a template and never runs there) and the
		controllers that schedule and propagate them.

		By default init deploys it into the host cluster that kubectl's own flags
		(--kubeconfig, --context) choose, in namespace karmada-system: etcd, a
		kube-apiserver, a kube-controller-manager running only the namespace and
		garbage-collector controllers, and karmada-controllers, with certificates it
		generates (kept in a Secret, so a second run reuses them). Then it installs the
		Karmada and Multi-Cluster Services CRDs, the karmada-system and karmada-cluster
		namespaces and the controllers' role into the new API, and writes its
		kubeconfig (context karmada-apiserver).

		With --control-plane-kubeconfig it prepares an existing API server instead (no
		nodes, no workload controllers) and deploys nothing; run karmada-controllers
		yourself. Running init again changes nothing and says so; deinit removes
		what init deployed.`)

	example = templates.Examples(`
		# Deploy a control plane into the current cluster
		%[1]s init

		# The same with a registry mirror, and the kubeconfig written elsewhere
		%[1]s init --image-repository registry.example.com/k8s --karmada-kubeconfig ./karmada.config

		# Print every object init would create, without creating anything
		%[1]s init --dry-run -o yaml

		# Prepare the local control plane made by "make local-up"
		%[1]s init --control-plane-kubeconfig ~/.kube/karmada.config --control-plane-context karmada-apiserver`)
)

// Options holds what init needs.
type Options struct {
	// ControlPlaneKubeconfig and ControlPlaneContext reach the control-plane API.
	ControlPlaneKubeconfig string
	ControlPlaneContext    string
	// DryRun prints the objects instead of creating them.
	DryRun bool
	// Timeout bounds each wait: for the components to be ready, for the
	// CRDs to be served.
	Timeout time.Duration

	// Host mode (no --control-plane-kubeconfig): where and what to deploy.
	Namespace            string
	Images               Images
	ImageRepository      string
	EtcdDataPath         string
	APIServerServiceType string
	NodePort             int32
	AdvertiseAddress     string
	CertSANs             []string
	// Endpoint reaches the new API server instead of a port-forward.
	Endpoint string
	// KarmadaKubeconfig is where the control plane's kubeconfig goes.
	KarmadaKubeconfig string

	printFlags *genericclioptions.PrintFlags
	printer    printers.ResourcePrinter
	config     *rest.Config
	hostFlags  *genericclioptions.ConfigFlags
	hostConfig *rest.Config

	genericiooptions.IOStreams
}

// Default images: the Kubernetes and etcd versions the project is tested
// with, and the controllers of this build.
const (
	defaultRepository = "registry.k8s.io"
	kubeVersion       = "v1.34.4"
	etcdVersion       = "3.5.21-0"
	controllersImage  = "ghcr.io/kubectl-karmada/karmada-controllers"
)

// NewCmdInit returns the init command; hostFlags are kubectl's flags, which
// choose the host cluster.
func NewCmdInit(parent string, hostFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	home, _ := os.UserHomeDir()
	o := &Options{
		Timeout:              5 * time.Minute,
		Namespace:            names.SystemNamespace,
		ImageRepository:      defaultRepository,
		EtcdDataPath:         "/var/lib/karmada-etcd",
		APIServerServiceType: string(corev1.ServiceTypeNodePort),
		NodePort:             32443,
		KarmadaKubeconfig:    filepath.Join(home, ".kube", "karmada-apiserver.config"),
		printFlags:           genericclioptions.NewPrintFlags(""),
		hostFlags:            hostFlags,
		IOStreams:            streams,
	}
	cmd := &cobra.Command{
		Use:          "init [--control-plane-kubeconfig FILE]",
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
	cmd.Flags().DurationVar(&o.Timeout, "timeout", o.Timeout, "How long to wait for each step: the components to be ready, the CRDs to be served")
	cmd.Flags().StringVar(&o.Namespace, "namespace-host", o.Namespace, "Namespace of the host cluster to deploy the control plane into")
	cmd.Flags().StringVar(&o.ImageRepository, "image-repository", o.ImageRepository, "Registry of the etcd, kube-apiserver and kube-controller-manager images")
	cmd.Flags().StringVar(&o.Images.Etcd, "etcd-image", "", "etcd image (default: IMAGE_REPOSITORY/etcd:"+etcdVersion+")")
	cmd.Flags().StringVar(&o.Images.APIServer, "apiserver-image", "", "kube-apiserver image (default: IMAGE_REPOSITORY/kube-apiserver:"+kubeVersion+")")
	cmd.Flags().StringVar(&o.Images.ControllerManager, "controller-manager-image", "", "kube-controller-manager image (default: IMAGE_REPOSITORY/kube-controller-manager:"+kubeVersion+")")
	cmd.Flags().StringVar(&o.Images.Controllers, "controllers-image", "", "karmada-controllers image (default: "+controllersImage+":VERSION)")
	cmd.Flags().StringVar(&o.EtcdDataPath, "etcd-data-path", o.EtcdDataPath, "Host path of etcd's data; empty keeps it in the pod (trials only)")
	cmd.Flags().StringVar(&o.APIServerServiceType, "apiserver-service-type", o.APIServerServiceType, "Service type of the API server: NodePort, LoadBalancer or ClusterIP")
	cmd.Flags().Int32Var(&o.NodePort, "apiserver-node-port", o.NodePort, "Node port of the API server (with NodePort)")
	cmd.Flags().StringVar(&o.AdvertiseAddress, "apiserver-advertise-address", "", "Address clients use for the API server (default: the first node's InternalIP)")
	cmd.Flags().StringSliceVar(&o.CertSANs, "cert-sans", nil, "More names and addresses for the API server's certificate")
	cmd.Flags().StringVar(&o.Endpoint, "karmada-apiserver-endpoint", "", "Reach the new API server here instead of through a port-forward (https://HOST:PORT)")
	cmd.Flags().StringVar(&o.KarmadaKubeconfig, "karmada-kubeconfig", o.KarmadaKubeconfig, "Where to write the control plane's kubeconfig")
	o.printFlags.AddFlags(cmd)
	_ = cmd.MarkFlagFilename("control-plane-kubeconfig")
	return cmd
}

// Complete loads the control-plane (or host) config and the printer.
func (o *Options) Complete() error {
	if o.DryRun {
		var err error
		if o.printer, err = o.printFlags.ToPrinter(); err != nil {
			return err
		}
		// A dry run shows which Secrets would be written, never their keys.
		o.printer = redact.Printer(o.printer)
	}
	if o.ControlPlaneKubeconfig == "" {
		return o.completeHost()
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.ControlPlaneKubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: o.ControlPlaneContext},
	).ClientConfig()
	if err != nil {
		return fmt.Errorf("loading --control-plane-kubeconfig: %w", err)
	}
	o.config = cfg
	return nil
}

// completeHost loads the host cluster's config and the default images.
func (o *Options) completeHost() error {
	if o.hostFlags == nil {
		return errors.New("--control-plane-kubeconfig is required here")
	}
	cfg, err := o.hostFlags.ToRESTConfig()
	if err != nil {
		return fmt.Errorf("loading the host cluster's kubeconfig: %w", err)
	}
	o.hostConfig = cfg
	repo := strings.TrimSuffix(o.ImageRepository, "/")
	defaults := map[*string]string{
		&o.Images.Etcd:              repo + "/etcd:" + etcdVersion,
		&o.Images.APIServer:         repo + "/kube-apiserver:" + kubeVersion,
		&o.Images.ControllerManager: repo + "/kube-controller-manager:" + kubeVersion,
		&o.Images.Controllers:       controllersImage + ":" + imageTag(version.Get().Version),
	}
	for field, value := range defaults {
		if *field == "" {
			*field = value
		}
	}
	return nil
}

// imageTag turns a build version into an image tag ("unknown" builds use
// "latest").
func imageTag(v string) string {
	if v == "" || v == "unknown" {
		return "latest"
	}
	return strings.ReplaceAll(v, "+", "-")
}

// Validate checks the flags.
func (o *Options) Validate() error {
	if o.Timeout <= 0 {
		return fmt.Errorf("--timeout must be positive")
	}
	if o.ControlPlaneKubeconfig != "" {
		return nil
	}
	switch corev1.ServiceType(o.APIServerServiceType) {
	case corev1.ServiceTypeNodePort:
		if o.NodePort < 30000 || o.NodePort > 32767 {
			return fmt.Errorf("--apiserver-node-port %d: a node port is between 30000 and 32767", o.NodePort)
		}
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeLoadBalancer:
	default:
		return fmt.Errorf("--apiserver-service-type %q: use NodePort, LoadBalancer or ClusterIP", o.APIServerServiceType)
	}
	if errs := validation.IsDNS1123Label(o.Namespace); len(errs) > 0 {
		return fmt.Errorf("--namespace-host %q: %s", o.Namespace, strings.Join(errs, "; "))
	}
	if o.Endpoint != "" && !strings.HasPrefix(o.Endpoint, "https://") {
		return fmt.Errorf("--karmada-apiserver-endpoint %q: use https://HOST:PORT", o.Endpoint)
	}
	return nil
}

// Run deploys (host mode) or prepares (--control-plane-kubeconfig) the
// control plane.
func (o *Options) Run(ctx context.Context) error {
	if o.ControlPlaneKubeconfig == "" {
		return o.runHost(ctx)
	}
	if o.DryRun {
		return o.printControlPlaneObjects()
	}
	changed, err := o.prepare(ctx, o.config)
	if err != nil {
		return err
	}
	o.warnIfTemplatesNeedServiceAccounts(ctx)
	if len(changed) == 0 {
		fmt.Fprintf(o.Out, "The control plane at %s is already initialized; nothing changed.\n", o.config.Host)
		return nil
	}
	fmt.Fprintf(o.Out, "Initialized the control plane at %s (%d objects created or updated).\n", o.config.Host, len(changed))
	fmt.Fprintln(o.Out, "Next: join member clusters with \"kubectl karmada join NAME --cluster-kubeconfig FILE\".")
	return nil
}

// warnIfTemplatesNeedServiceAccounts says when the API server runs the
// ServiceAccount admission plugin: it refuses a Pod template whose
// ServiceAccount does not exist there, which on a control plane (no
// ServiceAccount controller, or a fresh namespace) is most of them. A
// server-side dry run of such a Pod tells, and creates nothing.
func (o *Options) warnIfTemplatesNeedServiceAccounts(ctx context.Context) {
	c, err := kubernetes.NewForConfig(o.config)
	if err != nil {
		return
	}
	probe := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "template-probe"}, Spec: corev1.PodSpec{
		ServiceAccountName: "kubectl-karmada-template-probe", Containers: []corev1.Container{{Name: "c", Image: "probe"}}}}
	_, err = c.CoreV1().Pods(names.SystemNamespace).Create(ctx, probe, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	if err != nil && strings.Contains(err.Error(), "serviceaccount") {
		fmt.Fprintf(o.ErrOut, "Warning: this API server refuses a Pod template whose ServiceAccount does not exist (%v). "+
			"Templates are not run here: start its kube-apiserver with --disable-admission-plugins=ServiceAccount, as Karmada's is.\n", err)
	}
}

// controlPlaneNamespaces are created in the control-plane API.
func controlPlaneNamespaces() []*corev1.Namespace {
	return []*corev1.Namespace{namespace(names.SystemNamespace), namespace(names.ClusterNamespace)}
}

// printControlPlaneObjects prints what prepare would create.
func (o *Options) printControlPlaneObjects() error {
	all, err := crds.ControlPlane()
	if err != nil {
		return err
	}
	for _, crd := range all {
		crd.APIVersion, crd.Kind = "apiextensions.k8s.io/v1", "CustomResourceDefinition"
		if err := o.printer.PrintObj(crd, o.Out); err != nil {
			return err
		}
	}
	for _, ns := range controlPlaneNamespaces() {
		if err := o.printer.PrintObj(ns, o.Out); err != nil {
			return err
		}
	}
	for _, obj := range controlPlaneRBAC() {
		if err := o.printer.PrintObj(obj, o.Out); err != nil {
			return err
		}
	}
	return nil
}

// controlPlaneRBAC is the role of karmada-controllers, its binding, and
// the admission guard that narrows it, guard first.
func controlPlaneRBAC() []ctrlclient.Object {
	guard, guardBinding := rbac.ControllersGuard(pki.ControllersUser)
	return []ctrlclient.Object{guard, guardBinding, rbac.ControllersRole(), rbac.ControllersBinding(pki.ControllersUser)}
}

// prepare installs the CRDs and namespaces into the control-plane API at
// cfg and names what changed.
func (o *Options) prepare(ctx context.Context, cfg *rest.Config) ([]string, error) {
	all, err := crds.ControlPlane()
	if err != nil {
		return nil, err
	}
	changed, err := crdinstall.Apply(ctx, cfg, all, o.Timeout)
	if err != nil {
		return nil, fmt.Errorf("installing CRDs on %s: %w", cfg.Host, err)
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	for _, ns := range controlPlaneNamespaces() {
		_, err := client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
		switch {
		case err == nil:
			changed = append(changed, "namespace/"+ns.Name)
		case !apierrors.IsAlreadyExists(err):
			return nil, fmt.Errorf("creating namespace %s: %w", ns.Name, err)
		}
	}
	c, err := connect.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	more, err := apply(ctx, c, controlPlaneRBAC())
	if err != nil {
		return nil, err
	}
	return append(changed, more...), nil
}

func namespace(name string) *corev1.Namespace {
	return &corev1.Namespace{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"}, ObjectMeta: metav1.ObjectMeta{Name: name}}
}
