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

// Package root assembles the "kubectl karmada" command tree: kubectl's own
// connection flags on the root, and every verb in a help group.
package root

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/kubectl/pkg/util/templates"

	"github.com/kubectl-karmada/kubectl-karmada/plugin/deinit"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/explain"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/export"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/get"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/initcmd"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/join"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/propagate"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/taint"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/tuicmd"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/unjoin"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/version"
)

// parentName is how users call us through kubectl; examples use it.
const parentName = "kubectl karmada"

// The help groups, in the order help shows them.
var groups = []*cobra.Group{
	{ID: "setup", Title: "Control Plane and Members:"},
	{ID: "propagation", Title: "Propagation:"},
	{ID: "observe", Title: "Observation:"},
	{ID: "other", Title: "Other Commands:"},
}

// NewCmdRoot returns the root command with every subcommand attached.
func NewCmdRoot(streams genericiooptions.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kubectl-karmada",
		Short: "Orchestrate workloads across many Kubernetes clusters",
		Long: templates.LongDesc(`
			kubectl karmada runs Karmada-style multi-cluster orchestration from one
			kubectl plugin: a control-plane API for templates and policies, member
			clusters joined to it, and one lightweight controllers process that
			schedules and propagates workloads. Policies use Karmada's own API, so
			Karmada YAML applies unchanged.`),
		Annotations: map[string]string{
			cobra.CommandDisplayNameAnnotation: parentName,
		},
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// kubectl's own flags (--kubeconfig, --context, -n, ...) choose the
	// control-plane API, exactly as they choose a cluster for kubectl.
	configFlags := genericclioptions.NewConfigFlags(true)
	configFlags.AddFlags(cmd.PersistentFlags())

	cmd.AddGroup(groups...)
	add(cmd, "setup",
		initcmd.NewCmdInit(parentName, configFlags, streams),
		deinit.NewCmdDeinit(parentName, configFlags, streams),
		join.NewCmdJoin(parentName, configFlags, streams),
		unjoin.NewCmdUnjoin(parentName, configFlags, streams),
		taint.NewCmdCordon(parentName, configFlags, streams),
		taint.NewCmdUncordon(parentName, configFlags, streams),
		taint.NewCmdTaint(parentName, configFlags, streams),
	)
	add(cmd, "propagation",
		propagate.NewCmdPropagate(parentName, configFlags, streams),
		explain.NewCmdExplain(parentName, configFlags, streams),
		export.NewCmdExport(parentName, configFlags, streams),
	)
	add(cmd, "observe",
		get.NewCmdGet(parentName, configFlags, streams),
		tuicmd.NewCmdTUI(parentName, configFlags, streams),
	)
	add(cmd, "other",
		version.NewCmdVersion(parentName, streams),
	)
	explainMissingAPI(cmd)
	registerCompletion(cmd, configFlags)
	cmd.SetCompletionCommandGroupID("other")
	cmd.SetHelpCommandGroupID("other")
	return cmd
}

func add(root *cobra.Command, group string, cmds ...*cobra.Command) {
	for _, c := range cmds {
		c.GroupID = group
		root.AddCommand(c)
	}
}

// explainMissingAPI wraps every command, so that a context pointing at a
// cluster without our APIs (a member, or a cluster init never ran on)
// says so in one line instead of a raw discovery error.
func explainMissingAPI(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error { return notAControlPlane(run(cmd, args)) }
	}
	for _, sub := range c.Commands() {
		explainMissingAPI(sub)
	}
}

// notAControlPlane turns "no matches for kind Cluster in
// cluster.karmada.io" into what it means.
func notAControlPlane(err error) error {
	var kind *meta.NoKindMatchError
	var resource *meta.NoResourceMatchError
	group := ""
	switch {
	case errors.As(err, &kind):
		group = kind.GroupKind.Group
	case errors.As(err, &resource):
		group = resource.PartialResource.Group
	}
	if !strings.HasSuffix(group, "karmada.io") {
		return err
	}
	return fmt.Errorf("this is not a kubectl-karmada control plane (no %s API): run \"kubectl karmada init\", or choose the control plane with --kubeconfig or --context", group)
}
