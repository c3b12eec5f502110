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

package localcluster

import (
	"fmt"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// WriteKubeconfig writes one kubeconfig file holding a context per cluster,
// named by the map's keys (for example "karmada-apiserver" or "member1").
// The first of order becomes the current context.
func WriteKubeconfig(path string, clusters map[string]*Cluster, order []string) error {
	out := clientcmdapi.NewConfig()
	for _, name := range order {
		c, ok := clusters[name]
		if !ok {
			return fmt.Errorf("no cluster for context %s", name)
		}
		in, err := clientcmd.LoadFromFile(c.Kubeconfig)
		if err != nil {
			return err
		}
		ctx, ok := in.Contexts[in.CurrentContext]
		if !ok {
			return fmt.Errorf("%s has no current context", c.Kubeconfig)
		}
		out.Clusters[name] = in.Clusters[ctx.Cluster]
		out.AuthInfos[name] = in.AuthInfos[ctx.AuthInfo]
		out.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	}
	if len(order) > 0 {
		out.CurrentContext = order[0]
	}
	// Inline the certificates so the file still works when copied elsewhere.
	if err := clientcmdapi.FlattenConfig(out); err != nil {
		return err
	}
	return clientcmd.WriteToFile(*out, path)
}
