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

// Package manager wires every controller and the scheduler into one
// controller-runtime manager: one process, one set of caches of the
// control-plane API, leader election, health probes and metrics.
package manager

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/time/rate"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/kubectl-karmada/kubectl-karmada/controllers/binding"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/cluster"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/clusterstatus"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/dependencies"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/detector"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/execution"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/failover"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/namespacesync"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/scheduler"
	"github.com/kubectl-karmada/kubectl-karmada/controllers/servicediscovery"
	"github.com/kubectl-karmada/kubectl-karmada/internal/events"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
)

// Options configure the controllers process.
type Options struct {
	// Kubeconfig points at the control-plane API; empty means in-cluster.
	Kubeconfig string
	// Context picks a context of Kubeconfig.
	Context string
	// MetricsAddr serves Prometheus metrics; "0" turns them off.
	MetricsAddr string
	// ProbeAddr serves /healthz and /readyz.
	ProbeAddr string
	// PprofAddr serves Go's profiles; empty turns them off.
	PprofAddr string
	// LeaderElect makes only one of several replicas act at a time.
	LeaderElect bool
	// LeaderElectionNamespace holds the election Lease.
	LeaderElectionNamespace string
	// QPS and Burst bound the requests to the control-plane API. The
	// client-go defaults (5/10) would throttle propagation long before
	// the API server is busy.
	QPS   float32
	Burst int
	// Workers is how many bindings and Works are handled at once.
	Workers int
	// ClusterStatusInterval is how often each member's status is refreshed.
	ClusterStatusInterval time.Duration
	// ClusterFailureThreshold failed probes in a row make a member not
	// ready; ClusterSuccessThreshold good ones make it ready again.
	ClusterFailureThreshold, ClusterSuccessThreshold int
	// StatusProgressInterval is the least time between two progress
	// status writes of one Work, binding or template (applied, member
	// objects still starting). Failures, their end and settled states are
	// written at once.
	StatusProgressInterval time.Duration
	// StatusProgressQPS bounds the progress status writes per second of
	// all Works, bindings and templates together; 0 means no bound.
	StatusProgressQPS float64
	// EndpointsNotReadyTimeout is how long a member may stay not ready
	// before its exported endpoints are removed from the other members.
	EndpointsNotReadyTimeout time.Duration
	// Controllers turns optional controllers on and off, in Karmada's
	// syntax: "*" for the defaults, "-NAME" to turn one off.
	Controllers []string
	// SuccessEvents turns on the events that say something went well
	// (once per object generation); failures are always said.
	SuccessEvents bool
	// SuccessEventsQPS bounds the success events per second; 0 means no
	// bound.
	SuccessEventsQPS float64
	// DefaultNotReadyToleration and DefaultUnreachableToleration are how
	// long a workload stays on a member tainted not-ready or unreachable
	// (NoExecute) when its policy names no toleration of that taint (300
	// seconds, the tolerations Karmada's webhook adds to every policy).
	DefaultNotReadyToleration, DefaultUnreachableToleration time.Duration
	// GracefulEvictionTimeout is how long the copy a failover left waits
	// for the new placement to be healthy, unless its task says.
	GracefulEvictionTimeout time.Duration
	// SkippedPropagatingNamespaces are never provisioned in the members
	// (regular expressions), beside default and karmada-*.
	SkippedPropagatingNamespaces []string
}

// optional are the controllers --controllers may turn off, with whether
// each is on by default. The others make the system work and stay on.
var optional = map[string]bool{"namespace": true}

// enabled reports whether an optional controller runs.
func (o *Options) enabled(name string) bool {
	on := false
	for _, c := range o.Controllers {
		switch c {
		case "*":
			on = on || optional[name]
		case name:
			on = true
		case "-" + name:
			return false
		}
	}
	return on
}

// Validate checks the options that a typo would silently change.
func (o *Options) Validate() error {
	for _, c := range o.Controllers {
		if name := strings.TrimPrefix(c, "-"); c != "*" {
			if _, ok := optional[name]; !ok {
				return fmt.Errorf("--controllers: unknown controller %q (may be turned on or off: %s)", c, strings.Join(slices.Sorted(maps.Keys(optional)), ", "))
			}
		}
	}
	_, err := namespacesync.CompileSkipped(o.SkippedPropagatingNamespaces)
	return err
}

// DefaultOptions returns the options used when no flag is given.
func DefaultOptions() Options {
	return Options{
		// Two replicas must never both act; a single one pays nothing
		// for the election.
		LeaderElect: true,
		// Local only unless told: init's Deployment opens them to the
		// kubelet and Prometheus; a process run by hand needs no more.
		MetricsAddr:             "127.0.0.1:8080",
		ProbeAddr:               "127.0.0.1:8081",
		LeaderElectionNamespace: "karmada-system",
		QPS:                     1000,
		Burst:                   2000,
		Workers:                 8,
		ClusterStatusInterval:   10 * time.Second,
		ClusterFailureThreshold: 3,
		ClusterSuccessThreshold: 2,
		StatusProgressInterval:  10 * time.Second,
		StatusProgressQPS:       5,
		// Long enough for a member's API server to restart, short enough
		// that clients stop sending traffic to a dead cluster soon.
		EndpointsNotReadyTimeout:     30 * time.Second,
		Controllers:                  []string{"*"},
		SuccessEvents:                true,
		SuccessEventsQPS:             10,
		SkippedPropagatingNamespaces: namespacesync.DefaultSkipped,
		DefaultNotReadyToleration:    300 * time.Second,
		DefaultUnreachableToleration: 300 * time.Second,
		GracefulEvictionTimeout:      binding.DefaultGracePeriod,
	}
}

// AddFlags binds the options to command-line flags.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Kubeconfig, "kubeconfig", o.Kubeconfig, "Path to a kubeconfig of the control-plane API; empty means in-cluster")
	fs.StringVar(&o.Context, "context", o.Context, "Context of --kubeconfig to use")
	fs.StringVar(&o.MetricsAddr, "metrics-bind-address", o.MetricsAddr, "Address of the Prometheus metrics endpoint; 0 disables it")
	fs.StringVar(&o.ProbeAddr, "health-probe-bind-address", o.ProbeAddr, "Address of the /healthz and /readyz endpoints")
	fs.StringVar(&o.PprofAddr, "pprof-bind-address", o.PprofAddr, "Address of Go's /debug/pprof profiles; empty disables them")
	fs.BoolVar(&o.LeaderElect, "leader-elect", o.LeaderElect, "Elect a leader so that only one replica acts at a time")
	fs.StringVar(&o.LeaderElectionNamespace, "leader-election-namespace", o.LeaderElectionNamespace, "Namespace of the leader election Lease")
	fs.Float32Var(&o.QPS, "kube-api-qps", o.QPS, "Queries per second to the control-plane API")
	fs.IntVar(&o.Burst, "kube-api-burst", o.Burst, "Burst of queries to the control-plane API")
	fs.IntVar(&o.Workers, "concurrent-syncs", o.Workers, "How many bindings and Works are handled at once")
	fs.DurationVar(&o.ClusterStatusInterval, "cluster-status-update-frequency", o.ClusterStatusInterval, "How often each member's status is refreshed")
	fs.IntVar(&o.ClusterFailureThreshold, "cluster-failure-threshold", o.ClusterFailureThreshold, "Failed health probes in a row before a member is not ready")
	fs.IntVar(&o.ClusterSuccessThreshold, "cluster-success-threshold", o.ClusterSuccessThreshold, "Good health probes in a row before a not-ready member is ready again")
	fs.DurationVar(&o.StatusProgressInterval, "status-progress-interval", o.StatusProgressInterval, "Least time between two progress status writes of one Work, binding or template (applied, member objects still starting); failures, their end and settled states are written at once; 0 writes every step")
	fs.Float64Var(&o.StatusProgressQPS, "status-progress-qps", o.StatusProgressQPS, "Progress status writes per second of all Works, bindings and templates together (failures and settled states are not counted nor held back); 0 means no bound")
	fs.StringSliceVar(&o.Controllers, "controllers", o.Controllers, "Optional controllers: '*' runs the defaults, '-NAME' turns one off (namespace: provisions the control plane's namespaces in every member)")
	fs.BoolVar(&o.SuccessEvents, "success-events", o.SuccessEvents, "Record Karmada's success events (ApplyPolicySucceed, ScheduleBindingSucceed, SyncWorkSucceed, ...) once per object generation; failures are always recorded")
	fs.Float64Var(&o.SuccessEventsQPS, "success-events-qps", o.SuccessEventsQPS, "Success events per second at most (a burst of changes says the first ones, and later passes the rest); 0 means no bound")
	fs.StringSliceVar(&o.SkippedPropagatingNamespaces, "skipped-propagating-namespaces", o.SkippedPropagatingNamespaces, "Namespaces never provisioned in the members, as regular expressions matching the whole name (default and karmada-* never are)")
	fs.DurationVar(&o.DefaultNotReadyToleration, "default-not-ready-toleration", o.DefaultNotReadyToleration, "How long a workload stays on a not-ready member (taint cluster.karmada.io/not-ready:NoExecute) when its policy names no toleration of it")
	fs.DurationVar(&o.DefaultUnreachableToleration, "default-unreachable-toleration", o.DefaultUnreachableToleration, "How long a workload stays on an unreachable member (taint cluster.karmada.io/unreachable:NoExecute) when its policy names no toleration of it")
	fs.DurationVar(&o.GracefulEvictionTimeout, "graceful-eviction-timeout", o.GracefulEvictionTimeout, "How long the copy a failover left waits for the workload to be healthy elsewhere before it is removed (purgeMode Gracefully)")
	fs.DurationVar(&o.EndpointsNotReadyTimeout, "endpoints-not-ready-timeout", o.EndpointsNotReadyTimeout, "How long a member may stay not ready before its exported endpoints leave the other members")
}

// Run starts the manager and blocks until ctx ends.
func Run(ctx context.Context, o Options) error {
	if err := o.Validate(); err != nil {
		return err
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: o.Kubeconfig},
		&clientcmd.ConfigOverrides{CurrentContext: o.Context},
	).ClientConfig()
	if err != nil {
		return fmt.Errorf("loading the control-plane kubeconfig: %w", err)
	}
	cfg.QPS, cfg.Burst = o.QPS, o.Burst

	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                  scheme.New(),
		Metrics:                 metricsserver.Options{BindAddress: o.MetricsAddr},
		HealthProbeBindAddress:  o.ProbeAddr,
		PprofBindAddress:        o.PprofAddr,
		LeaderElection:          o.LeaderElect,
		LeaderElectionID:        "karmada-controllers",
		LeaderElectionNamespace: o.LeaderElectionNamespace,
		// On SIGTERM the lease is handed back, so a rolling restart's next
		// replica leads within a second, not after the lease runs out.
		// Safe because Run returns only after every controller stopped.
		LeaderElectionReleaseOnCancel: true,
		// Templates of any kind are read as unstructured objects; serve
		// those reads from the informers too, not from the API server.
		Client: client.Options{Cache: &client.CacheOptions{Unstructured: true}},
		// Secrets are cached in every namespace: member credentials are
		// read on every apply, and Secrets are templates like any other
		// kind (a cache limited to the credentials' namespace left every
		// Secret template unpropagated).
		Cache: cache.Options{
			// Nothing here reads managedFields; they are often the
			// largest part of an object.
			DefaultTransform: cache.TransformStripManagedFields(),
		},
	})
	if err != nil {
		return fmt.Errorf("creating the manager: %w", err)
	}
	members := member.NewSet(mgr.GetClient(), o.QPS, o.Burst)
	successes := &events.Successes{Off: !o.SuccessEvents}
	if o.SuccessEventsQPS > 0 {
		successes.Budget = rate.NewLimiter(rate.Limit(o.SuccessEventsQPS), max(1, int(o.SuccessEventsQPS)))
	}
	// One budget for every progress report, whichever controller makes it.
	var progressBudget *rate.Limiter
	if o.StatusProgressQPS > 0 {
		progressBudget = rate.NewLimiter(rate.Limit(o.StatusProgressQPS), max(1, int(o.StatusProgressQPS)))
	}
	if err := (&cluster.Lifecycle{Client: mgr.GetClient(), Members: members}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&clusterstatus.Reconciler{
		Client:           mgr.GetClient(),
		Members:          members,
		Interval:         o.ClusterStatusInterval,
		FailureThreshold: o.ClusterFailureThreshold,
		SuccessThreshold: o.ClusterSuccessThreshold,
	}).SetupWithManager(mgr); err != nil {
		return err
	}

	if err := (&detector.Detector{Client: mgr.GetClient(), Cache: mgr.GetCache(), Recorder: mgr.GetEventRecorder("detector"), Successes: successes}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&scheduler.Scheduler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("karmada-scheduler"), Successes: successes,
		Quotas: scheduler.NewMemberQuotas(mgr.GetClient(), members), DefaultTolerations: scheduler.DefaultTolerations(o.DefaultNotReadyToleration, o.DefaultUnreachableToleration)}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&binding.Reconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("binding-controller"), Successes: successes, Workers: o.Workers,
		ProgressInterval: o.StatusProgressInterval, ProgressBudget: progressBudget, GracePeriod: o.GracefulEvictionTimeout}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&execution.Reconciler{Client: mgr.GetClient(), Members: members, Recorder: mgr.GetEventRecorder("execution-controller"), Successes: successes, Workers: o.Workers,
		ProgressInterval: o.StatusProgressInterval, ProgressBudget: progressBudget}).SetupWithManager(mgr); err != nil {
		return err
	}

	if err := (&failover.Reconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("application-failover")}).SetupWithManager(mgr); err != nil {
		return err
	}
	if err := (&dependencies.Distributor{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("dependencies-distributor"), Successes: successes}).SetupWithManager(mgr); err != nil {
		return err
	}

	if o.enabled("namespace") {
		skipped, err := namespacesync.CompileSkipped(o.SkippedPropagatingNamespaces)
		if err != nil {
			return err
		}
		if err := (&namespacesync.Reconciler{Client: mgr.GetClient(), Recorder: mgr.GetEventRecorder("namespace-sync-controller"), Skipped: skipped}).SetupWithManager(mgr); err != nil {
			return err
		}
	}

	if err := (&servicediscovery.Reconciler{Client: mgr.GetClient(), Members: members, NotReadyTimeout: o.EndpointsNotReadyTimeout}).SetupWithManager(mgr); err != nil {
		return err
	}

	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	return mgr.Start(ctx)
}
