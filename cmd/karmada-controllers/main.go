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

// Command karmada-controllers is the one process that holds the scheduler
// and every controller of kubectl-karmada. It runs in the host cluster
// (installed by "kubectl karmada init") or locally with --kubeconfig
// pointing at the control-plane API.
package main

import (
	"flag"
	"os"
	"runtime/debug"

	"github.com/spf13/pflag"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/kubectl-karmada/kubectl-karmada/controllers/manager"
)

func main() {
	// Collect garbage sooner than Go's default unless the user chose: the
	// caches hold many small objects, and a smaller heap matters more here
	// than the little CPU the collector costs.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	opts := manager.DefaultOptions()
	opts.AddFlags(pflag.CommandLine)
	klogFlags := flag.NewFlagSet("klog", flag.ExitOnError)
	klog.InitFlags(klogFlags)
	pflag.CommandLine.AddGoFlagSet(klogFlags)
	pflag.Parse()
	ctrl.SetLogger(klog.NewKlogr())

	if err := manager.Run(ctrl.SetupSignalHandler(), opts); err != nil {
		klog.ErrorS(err, "karmada-controllers stopped")
		os.Exit(1)
	}
}
