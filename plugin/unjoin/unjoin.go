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

// Package unjoin implements "kubectl karmada unjoin": it removes a member
// cluster, the objects propagated to it (unless asked to keep them) and
// the account join made in it.
package unjoin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubectl/pkg/util/templates"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/memberaccess"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

var (
	long = templates.LongDesc(`
		Remove a member cluster from the control plane.

		First the objects propagated to the member are deleted from it (the
		controllers do it as the member's Works go; --keep-resources leaves them
		running, no longer managed). Then the Cluster and its credentials are
		removed from the control plane, and the account join made in the member.`)

	example = templates.Examples(`
		# Remove member3 and everything propagated to it
		%[1]s unjoin member3

		# Remove member3 but leave its workloads running
		%[1]s unjoin member3 --keep-resources

		# Also remove the account join made in the member
		%[1]s unjoin member3 --cluster-kubeconfig m3.config`)
)

// Options holds what unjoin needs.
type Options struct {
	// Name of the Cluster.
	Name string
	// KeepResources leaves the propagated objects in the member.
	KeepResources bool
	// ClusterKubeconfig and ClusterContext reach the member as an
	// administrator, to remove the account join made.
	ClusterKubeconfig, ClusterContext string
	// Timeout bounds the wait for the member's objects to be removed.
	Timeout time.Duration

	cp          client.Client
	configFlags *genericclioptions.ConfigFlags
	genericiooptions.IOStreams
}

// NewCmdUnjoin returns the unjoin command.
func NewCmdUnjoin(parent string, configFlags *genericclioptions.ConfigFlags, streams genericiooptions.IOStreams) *cobra.Command {
	o := &Options{Timeout: time.Minute, configFlags: configFlags, IOStreams: streams}
	cmd := &cobra.Command{
		Use:          "unjoin NAME",
		Short:        "Remove a member cluster from the control plane",
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
	cmd.Flags().BoolVar(&o.KeepResources, "keep-resources", false, "Leave the propagated objects running in the member")
	cmd.Flags().StringVar(&o.ClusterKubeconfig, "cluster-kubeconfig", "", "Kubeconfig of the member, to remove the account join made there")
	cmd.Flags().StringVar(&o.ClusterContext, "cluster-context", "", "Context of --cluster-kubeconfig")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", o.Timeout, "How long to wait for the member's objects to be removed")
	return cmd
}

// Complete names the cluster and connects to the control plane.
func (o *Options) Complete(args []string) error {
	o.Name = args[0]
	var err error
	o.cp, err = connect.Client(o.configFlags)
	return err
}

// Validate checks the flags.
func (o *Options) Validate() error {
	if o.Timeout <= 0 {
		return errors.New("--timeout must be positive")
	}
	if o.ClusterContext != "" && o.ClusterKubeconfig == "" {
		return errors.New("--cluster-context needs --cluster-kubeconfig")
	}
	return nil
}

// Run unjoins the member.
func (o *Options) Run(ctx context.Context) error {
	cp := o.cp
	cluster := &clusterv1alpha1.Cluster{}
	if err := cp.Get(ctx, client.ObjectKey{Name: o.Name}, cluster); err != nil {
		if apierrors.IsNotFound(err) {
			return fmt.Errorf("cluster %s is not joined", o.Name)
		}
		return err
	}
	ns := names.ExecutionSpace(o.Name)
	if o.KeepResources {
		// The execution controller reads this as it removes the Works.
		patch := client.MergeFrom(cluster.DeepCopy())
		if cluster.Annotations == nil {
			cluster.Annotations = map[string]string{}
		}
		cluster.Annotations[names.KeepResourcesAnnotation] = "true"
		if err := cp.Patch(ctx, cluster, patch); err != nil {
			return err
		}
	}
	// The controllers hold the Cluster (a finalizer) until its Works and
	// their objects in the member are gone.
	if err := cp.Delete(ctx, cluster); client.IgnoreNotFound(err) != nil {
		return err
	}
	err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, o.Timeout, true, func(ctx context.Context) (bool, error) {
		err := cp.Get(ctx, client.ObjectKey{Name: o.Name}, &clusterv1alpha1.Cluster{})
		return apierrors.IsNotFound(err), client.IgnoreNotFound(err)
	})
	if err != nil {
		return fmt.Errorf("cluster %s is still being removed after %s (are the controllers running and the member reachable?): %w", o.Name, o.Timeout, err)
	}
	if ref := cluster.Spec.SecretRef; ref != nil {
		secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ref.Namespace, Name: ref.Name}}
		if err := cp.Delete(ctx, secret); client.IgnoreNotFound(err) != nil {
			return err
		}
	}
	if err := cp.Delete(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); client.IgnoreNotFound(err) != nil {
		return err
	}
	fmt.Fprintf(o.Out, "Cluster %s unjoined.\n", o.Name)
	return o.removeAccount(ctx)
}

// removeAccount deletes what join made in the member. It needs the
// member's own kubeconfig: the account cannot remove itself, since the
// first deletion takes away its rights.
func (o *Options) removeAccount(ctx context.Context) error {
	account := names.MemberAccount(o.Name)
	if o.ClusterKubeconfig == "" {
		fmt.Fprintf(o.ErrOut, "The account %s/%s and ClusterRole %s stay in the member; give --cluster-kubeconfig to remove them too.\n",
			names.ClusterNamespace, account, names.MemberClusterRole(o.Name))
		return nil
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.ClusterKubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: o.ClusterContext},
	).ClientConfig()
	if err != nil {
		return fmt.Errorf("loading --cluster-kubeconfig: %w", err)
	}
	member, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	role := names.MemberClusterRole(o.Name)
	// Rights first, the guard that limits them last.
	errs := []error{
		ignoreNotFound(member.RbacV1().ClusterRoleBindings().Delete(ctx, role, metav1.DeleteOptions{})),
		ignoreNotFound(member.RbacV1().ClusterRoles().Delete(ctx, role, metav1.DeleteOptions{})),
		removeSecretsBindings(ctx, member, o.Name),
		ignoreNotFound(member.RbacV1().ClusterRoles().Delete(ctx, memberaccess.SecretsRoleName(o.Name), metav1.DeleteOptions{})),
		ignoreNotFound(member.CoreV1().Secrets(names.ClusterNamespace).Delete(ctx, account+"-token", metav1.DeleteOptions{})),
		ignoreNotFound(member.CoreV1().ServiceAccounts(names.ClusterNamespace).Delete(ctx, account, metav1.DeleteOptions{})),
	}
	if err := errors.Join(errs...); err == nil {
		errs = append(errs,
			ignoreNotFound(member.AdmissionregistrationV1().ValidatingAdmissionPolicyBindings().Delete(ctx, memberaccess.GuardName(o.Name), metav1.DeleteOptions{})),
			ignoreNotFound(member.AdmissionregistrationV1().ValidatingAdmissionPolicies().Delete(ctx, memberaccess.GuardName(o.Name), metav1.DeleteOptions{})))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("removing the account from the member: %w", err)
	}
	fmt.Fprintf(o.Out, "Removed the account %s and ClusterRole %s from the member.\n", account, role)
	return nil
}

// removeSecretsBindings deletes the RoleBindings that gave the member
// identity Secrets in the namespaces it deployed to.
func removeSecretsBindings(ctx context.Context, member kubernetes.Interface, cluster string) error {
	list, err := member.RbacV1().RoleBindings(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	var errs []error
	for _, rb := range list.Items {
		if rb.RoleRef.Kind == "ClusterRole" && rb.RoleRef.Name == memberaccess.SecretsRoleName(cluster) {
			errs = append(errs, ignoreNotFound(member.RbacV1().RoleBindings(rb.Namespace).Delete(ctx, rb.Name, metav1.DeleteOptions{})))
		}
	}
	return errors.Join(errs...)
}

func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
