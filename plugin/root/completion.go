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

package root

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/dynamic"
)

// Commands whose arguments are member cluster names, and flags that take
// a comma-separated list of them.
var (
	clusterArgCommands = map[string]bool{"cordon": true, "uncordon": true, "taint": true, "unjoin": true}
	clusterListFlags   = []string{"clusters"}
)

var clustersResource = schema.GroupVersionResource{Group: "cluster.karmada.io", Version: "v1alpha1", Resource: "clusters"}

// registerCompletion completes, in every shell and through kubectl's
// plugin completion (kubectl_complete-karmada): --context with the
// kubeconfig's contexts, and cluster names, read from the control plane,
// where a command or flag takes them.
func registerCompletion(root *cobra.Command, flags *genericclioptions.ConfigFlags) {
	_ = root.RegisterFlagCompletionFunc("context", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		raw, err := flags.ToRawKubeConfigLoader().RawConfig()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []string
		for name := range raw.Contexts {
			names = append(names, name)
		}
		sort.Strings(names)
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	for _, c := range root.Commands() {
		if clusterArgCommands[c.Name()] && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
				return without(clusterNames(flags), args), cobra.ShellCompDirectiveNoFileComp
			}
		}
		for _, name := range clusterListFlags {
			if c.Flags().Lookup(name) == nil {
				continue
			}
			_ = c.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				// "a,b,<TAB>": offer the rest, each after what is typed.
				done := ""
				if i := strings.LastIndex(toComplete, ","); i >= 0 {
					done = toComplete[:i+1]
				}
				rest := without(clusterNames(flags), strings.Split(done, ","))
				out := make([]string, 0, len(rest))
				for _, n := range rest {
					out = append(out, done+n)
				}
				return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
			})
		}
	}
}

// clusterNames lists the joined clusters; none when the control plane does
// not answer within a few seconds (completion must never hang a shell).
func clusterNames(flags *genericclioptions.ConfigFlags) []string {
	cfg, err := flags.ToRESTConfig()
	if err != nil {
		return nil
	}
	cfg.Timeout = 5 * time.Second
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := client.Resource(clustersResource).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(list.Items))
	for _, item := range list.Items {
		names = append(names, item.GetName())
	}
	sort.Strings(names)
	return names
}

// without drops the names already given.
func without(names, given []string) []string {
	seen := map[string]bool{}
	for _, g := range given {
		seen[g] = true
	}
	var out []string
	for _, n := range names {
		if !seen[n] {
			out = append(out, n)
		}
	}
	return out
}
