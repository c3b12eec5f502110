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

// Command bench measures propagation end to end on real local clusters:
// a PropagationPolicy (Divided, static weights 1:1:1 over 3 members,
// label selector) and N Deployments of 3 replicas created at once on the
// control plane; the clock stops when every template reports
// readyReplicas 3. It prints "name value" lines: times, per-Deployment
// latency, and the CPU and memory of the controllers and of the
// control-plane API server.
//
//	go run ./test/bench -n 100
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/initcmd"
	"github.com/kubectl-karmada/kubectl-karmada/plugin/join"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

const (
	namespace = "bench"
	// pprofAddr serves the controllers' profiles during the run.
	pprofAddr = "127.0.0.1:18777"
)

// Profiles, when -profile-dir is set: CPU profiles of the control-plane
// API server and of the controllers over the first -profile-for of the
// run, and the controllers' heap when every Deployment is ready.
var (
	profileDir string
	profileFor time.Duration
	// controllerArgs are more flags for the controllers (-controllers-args).
	controllerArgs string
	// idleFor is how long the control-plane API server's background CPU
	// is measured before the first create (-idle).
	idleFor time.Duration
)

// fetch GETs a URL with the given client and saves the body to path.
func fetch(ctx context.Context, hc *http.Client, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// cpuProfiles samples the control-plane API server and the controllers
// at once; the returned function waits for both.
func cpuProfiles(ctx context.Context, cp *localcluster.Cluster) func() {
	var wg sync.WaitGroup
	if profileDir == "" {
		return wg.Wait
	}
	seconds := fmt.Sprint(int(profileFor.Seconds()))
	wg.Go(func() {
		hc, err := rest.HTTPClientFor(cp.Config)
		if err == nil {
			err = fetch(ctx, hc, cp.Config.Host+"/debug/pprof/profile?seconds="+seconds, filepath.Join(profileDir, "apiserver.cpu.pprof"))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "API server profile:", err)
		}
	})
	wg.Go(func() {
		if err := fetch(ctx, http.DefaultClient, "http://"+pprofAddr+"/debug/pprof/profile?seconds="+seconds, filepath.Join(profileDir, "controllers.cpu.pprof")); err != nil {
			fmt.Fprintln(os.Stderr, "controllers profile:", err)
		}
	})
	return wg.Wait
}

func main() {
	n := flag.Int("n", 100, "number of Deployments")
	floor := flag.Bool("floor", false, "measure only the members' own work: N one-replica Deployments created in each member directly")
	timeout := flag.Duration("timeout", 20*time.Minute, "give up after this long")
	flag.StringVar(&profileDir, "profile-dir", "", "save CPU profiles of the control-plane API server and the controllers, and the controllers' heap when all are ready, in this directory")
	flag.DurationVar(&profileFor, "profile-for", 20*time.Second, "how long the CPU profiles sample, from the first create")
	flag.StringVar(&controllerArgs, "controllers-args", "", "more flags for the controllers, space separated (for example \"-v=4 --status-progress-qps=10\")")
	flag.DurationVar(&idleFor, "idle", 0, "first measure the control-plane API server's CPU this long with nothing to do (control_plane_apiserver_idle_cores), to tell background from work")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *n, *timeout, *floor); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// timing is what createAndWait measured.
type timing struct {
	// created is how long creating took, total how long until every
	// template was ready.
	created, total time.Duration
	// latencies are each template's time from its create to ready, sorted.
	latencies []float64
	// statusBack are, sorted, each template's time from its last member
	// copy getting ready to the template saying so: the status path back
	// (member, Work, binding, template).
	statusBack []float64
}

// createAndWait creates n Deployments at once (16 writers) and waits until
// each template reports 3 ready replicas (one in each member).
func createAndWait(ctx context.Context, c client.Client, cp *localcluster.Cluster, members []*localcluster.Cluster, n int, timeout time.Duration) (timing, error) {
	ready := watchReady(ctx, cp, n, 3)
	membersReady := make([]<-chan map[int]time.Time, len(members))
	for i, m := range members {
		membersReady[i] = watchReady(ctx, m, n, 1)
	}
	createdAt := make([]time.Time, n)
	start := time.Now()
	var wg sync.WaitGroup
	work := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range work {
				createdAt[i] = time.Now()
				if err := c.Create(ctx, deployment(i)); err != nil {
					fmt.Fprintln(os.Stderr, "creating:", err)
				}
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	var out timing
	out.created = time.Since(start)

	var readyAt map[int]time.Time
	select {
	case readyAt = <-ready:
	case <-time.After(timeout):
		return timing{}, fmt.Errorf("not every Deployment was ready after %s", timeout)
	case <-ctx.Done():
		return timing{}, ctx.Err()
	}
	out.total = time.Since(start)
	for i, t := range readyAt {
		out.latencies = append(out.latencies, t.Sub(createdAt[i]).Seconds())
	}
	sort.Float64s(out.latencies)

	// Every member copy was ready before its template said so.
	lastCopy := map[int]time.Time{}
	for _, r := range membersReady {
		select {
		case m := <-r:
			for i, t := range m {
				if t.After(lastCopy[i]) {
					lastCopy[i] = t
				}
			}
		case <-time.After(10 * time.Second):
			return timing{}, errors.New("templates are ready but a member's copies are not")
		}
	}
	for i, t := range readyAt {
		out.statusBack = append(out.statusBack, t.Sub(lastCopy[i]).Seconds())
	}
	sort.Float64s(out.statusBack)
	return out, nil
}

// printRequests prints the writes, and every kind of request, that API
// servers served between two readings, divided by per, as figures named
// prefix_writes_per_unit and prefix_requests_per_unit{"VERB resource"}.
func printRequests(prefix, unit string, before, after map[string]float64, per float64) {
	var keys []string
	var writes float64
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			keys = append(keys, k)
			if !strings.HasPrefix(k, "GET") && !strings.HasPrefix(k, "LIST") && !strings.HasPrefix(k, "WATCH") && !strings.HasPrefix(k, "CONFLICT") {
				writes += d
			}
		}
	}
	sort.Strings(keys)
	fmt.Printf("%s_writes_per_%s %.2f\n", prefix, unit, writes/per)
	for _, k := range keys {
		fmt.Printf("%s_requests_per_%s{%s} %.2f\n", prefix, unit, k, (after[k]-before[k])/per)
	}
}

// memberRequestCounts sums requestCounts over the members.
func memberRequestCounts(ctx context.Context, members []*localcluster.Cluster) (map[string]float64, error) {
	sum := map[string]float64{}
	for _, m := range members {
		counts, err := requestCounts(ctx, m)
		if err != nil {
			return nil, err
		}
		for k, v := range counts {
			sum[k] += v
		}
	}
	return sum, nil
}

// startClusters starts a control plane and three joined members sized for
// n Deployments.
func startClusters(ctx context.Context, env *localcluster.Env, n int) (*localcluster.Cluster, []*localcluster.Cluster, error) {
	cpCluster, err := env.StartControlPlane(ctx, localcluster.ControlPlaneOptions{Name: "bench-cp"})
	if err != nil {
		return nil, nil, err
	}
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	initOpts := &initcmd.Options{ControlPlaneKubeconfig: cpCluster.Kubeconfig, Timeout: time.Minute, IOStreams: streams}
	if err := initOpts.Complete(); err != nil {
		return nil, nil, err
	}
	if err := initOpts.Run(ctx); err != nil {
		return nil, nil, err
	}
	// Each member runs one replica of every Deployment.
	nodes := n/100 + 1
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig = &cpCluster.Kubeconfig
	var memberClusters []*localcluster.Cluster
	for i := 1; i <= 3; i++ {
		name := fmt.Sprintf("bench-m%d", i)
		m, err := env.StartMember(ctx, localcluster.MemberOptions{Name: name, Region: "r", Zone: fmt.Sprintf("z%d", i), Nodes: nodes, CPU: "64", Memory: "256Gi", Pods: "110"})
		if err != nil {
			return nil, nil, err
		}
		memberClusters = append(memberClusters, m)
		cmd := join.NewCmdJoin("kubectl karmada", flags, streams)
		cmd.SetArgs([]string{name, "--cluster-kubeconfig", m.Kubeconfig})
		if err := cmd.ExecuteContext(ctx); err != nil {
			return nil, nil, err
		}
	}

	return cpCluster, memberClusters, nil
}

func run(ctx context.Context, n int, timeout time.Duration, floor bool) error {
	bin, err := localcluster.EnsureBinaries(ctx)
	if err != nil {
		return err
	}
	env, err := localcluster.NewThrowawayEnv(ctx, filepath.Join(os.TempDir(), "kubectl-karmada-bench"), bin)
	if err != nil {
		return err
	}
	defer func() { _ = env.DeleteAll(context.WithoutCancel(ctx)) }()
	cpCluster, memberClusters, err := startClusters(ctx, env, n)
	if err != nil {
		return err
	}
	memberNames := make([]string, 0, len(memberClusters))
	for _, m := range memberClusters {
		memberNames = append(memberNames, m.Name)
	}
	if floor {
		return measureFloor(ctx, memberClusters, n, timeout)
	}

	binary, err := localcluster.BuildControllers(env.WorkDir)
	if err != nil {
		return err
	}
	controllers, err := localcluster.StartControllers(binary, cpCluster.Kubeconfig, filepath.Join(env.WorkDir, "controllers.log"), "127.0.0.1:0",
		append([]string{"--pprof-bind-address", pprofAddr}, strings.Fields(controllerArgs)...)...)
	if err != nil {
		return err
	}
	defer controllers.Kill()

	c, err := client.New(cpCluster.Config, client.Options{Scheme: scheme.New()})
	if err != nil {
		return err
	}
	if err := waitClustersReady(ctx, c, len(memberNames)); err != nil {
		return err
	}
	if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}); err != nil {
		return err
	}
	if err := c.Create(ctx, benchPolicy(memberNames)); err != nil {
		return err
	}

	apiserverPID, err := cpCluster.PID("kube-apiserver")
	if err != nil {
		return err
	}
	if idleFor > 0 {
		idle0, _ := localcluster.CPUSeconds(apiserverPID)
		select {
		case <-time.After(idleFor):
		case <-ctx.Done():
			return ctx.Err()
		}
		idle1, _ := localcluster.CPUSeconds(apiserverPID)
		fmt.Printf("control_plane_apiserver_idle_cores %.4f\n", (idle1-idle0)/idleFor.Seconds())
	}
	requests0, err := requestCounts(ctx, cpCluster)
	if err != nil {
		return err
	}
	memberRequests0, err := memberRequestCounts(ctx, memberClusters)
	if err != nil {
		return err
	}
	ctrlCPU0, _ := localcluster.CPUSeconds(controllers.PID())
	apiCPU0, _ := localcluster.CPUSeconds(apiserverPID)
	machineCPU0, _ := localcluster.MachineCPUSeconds()
	procCPU0 := processCPU()

	profiled := cpuProfiles(ctx, cpCluster)
	measured, err := createAndWait(ctx, c, cpCluster, memberClusters, n, timeout)
	if err != nil {
		return err
	}

	ctrlCPU1, _ := localcluster.CPUSeconds(controllers.PID())
	apiCPU1, _ := localcluster.CPUSeconds(apiserverPID)
	machineCPU1, _ := localcluster.MachineCPUSeconds()
	procCPU1 := processCPU()
	mem, _ := localcluster.MemoryMB(controllers.PID())
	profiled()
	if profileDir != "" {
		if err := fetch(ctx, http.DefaultClient, "http://"+pprofAddr+"/debug/pprof/heap", filepath.Join(profileDir, "controllers.heap.pprof")); err != nil {
			fmt.Fprintln(os.Stderr, "heap profile:", err)
		}
		// The log goes with the clusters; keep a copy with the profiles.
		if log, err := os.ReadFile(filepath.Join(env.WorkDir, "controllers.log")); err == nil {
			_ = os.WriteFile(filepath.Join(profileDir, "controllers.log"), log, 0o600)
		}
	}
	fmt.Printf("deployments %d\n", n)
	fmt.Printf("replicas_per_deployment 3\n")
	fmt.Printf("create_seconds %.2f\n", measured.created.Seconds())
	fmt.Printf("all_ready_seconds %.2f\n", measured.total.Seconds())
	fmt.Printf("latency_p50_seconds %.2f\n", quantile(measured.latencies, 0.5))
	fmt.Printf("latency_p90_seconds %.2f\n", quantile(measured.latencies, 0.9))
	fmt.Printf("latency_max_seconds %.2f\n", quantile(measured.latencies, 1))
	fmt.Printf("status_back_p50_seconds %.3f\n", quantile(measured.statusBack, 0.5))
	fmt.Printf("status_back_p90_seconds %.3f\n", quantile(measured.statusBack, 0.9))
	fmt.Printf("status_back_max_seconds %.3f\n", quantile(measured.statusBack, 1))
	fmt.Printf("controllers_cpu_seconds %.2f\n", ctrlCPU1-ctrlCPU0)
	fmt.Printf("controllers_cpu_seconds_per_deployment %.4f\n", (ctrlCPU1-ctrlCPU0)/float64(n))
	fmt.Printf("controllers_rss_mb %.1f\n", mem.RSS)
	fmt.Printf("controllers_rss_peak_mb %.1f\n", mem.Peak)
	fmt.Printf("controllers_rss_anon_mb %.1f\n", mem.Anon)
	fmt.Printf("controllers_rss_file_mb %.1f\n", mem.File)
	fmt.Printf("control_plane_apiserver_cpu_seconds_per_deployment %.4f\n", (apiCPU1-apiCPU0)/float64(n))
	// How busy the whole machine was: near runtime.NumCPU() means the run
	// was bound by CPU, lower means by something else (the members' client
	// rate limits).
	fmt.Printf("machine_busy_cores %.2f\n", (machineCPU1-machineCPU0)/measured.total.Seconds())
	requests1, err := requestCounts(ctx, cpCluster)
	if err != nil {
		return err
	}
	printRequests("control_plane", "deployment", requests0, requests1, float64(n))
	memberRequests1, err := memberRequestCounts(ctx, memberClusters)
	if err != nil {
		return err
	}
	// Each member holds one copy of every Deployment (one replica each).
	printRequests("member", "copy", memberRequests0, memberRequests1, float64(n*len(memberClusters)))
	printProcessCPU(procCPU0, procCPU1, n)
	return nil
}

// requestCounts reads the control-plane API server's request counters,
// keyed "VERB resource[/subresource]"; "CONFLICT VERB resource" counts
// those of them refused for a stale resourceVersion.
func requestCounts(ctx context.Context, cp *localcluster.Cluster) (map[string]float64, error) {
	clientset, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		return nil, err
	}
	raw, err := clientset.CoreV1().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(line, "apiserver_request_total{") {
			continue
		}
		labels := map[string]string{}
		body := line[strings.Index(line, "{")+1 : strings.LastIndex(line, "}")]
		for _, kv := range strings.Split(body, ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				labels[k] = strings.Trim(v, "\"")
			}
		}
		if labels["resource"] == "" {
			continue
		}
		var v float64
		if _, err := fmt.Sscan(strings.TrimSpace(line[strings.LastIndex(line, "}")+1:]), &v); err != nil {
			continue
		}
		key := labels["verb"] + " " + labels["resource"]
		if labels["subresource"] != "" {
			key += "/" + labels["subresource"]
		}
		out[key] += v
		if labels["code"] == "409" {
			out["CONFLICT "+key] += v
		}
	}
	return out, nil
}

// measureFloor creates N one-replica Deployments in every member at once,
// with no control plane involved, and reports when all are ready: what the
// members alone need for the same work.
func measureFloor(ctx context.Context, members []*localcluster.Cluster, n int, timeout time.Duration) error {
	requests0, err := memberRequestCounts(ctx, members)
	if err != nil {
		return err
	}
	start := time.Now()
	machineCPU0, _ := localcluster.MachineCPUSeconds()
	procCPU0 := processCPU()
	var wg sync.WaitGroup
	errs := make(chan error, len(members))
	for _, m := range members {
		wg.Go(func() {
			c, err := client.New(m.Config, client.Options{Scheme: scheme.New()})
			if err == nil {
				err = c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}})
			}
			if err != nil {
				errs <- err
				return
			}
			ready := watchReady(ctx, m, n, 1)
			for i := range n {
				d := deployment(i)
				d.Spec.Replicas = ptr.To[int32](1)
				if err := c.Create(ctx, d); err != nil {
					errs <- err
					return
				}
			}
			select {
			case <-ready:
			case <-time.After(timeout):
				errs <- fmt.Errorf("%s: not ready after %s", m.Name, timeout)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	fmt.Printf("deployments_per_member %d\n", n)
	took := time.Since(start)
	machineCPU1, _ := localcluster.MachineCPUSeconds()
	printProcessCPU(procCPU0, processCPU(), n)
	fmt.Printf("members_only_all_ready_seconds %.2f\n", took.Seconds())
	fmt.Printf("machine_busy_cores %.2f\n", (machineCPU1-machineCPU0)/took.Seconds())
	requests1, err := memberRequestCounts(ctx, members)
	if err != nil {
		return err
	}
	printRequests("member", "copy", requests0, requests1, float64(n*len(members)))
	return nil
}

func benchPolicy(members []string) *policyv1alpha1.PropagationPolicy {
	weights := make([]policyv1alpha1.StaticClusterWeight, 0, len(members))
	for _, m := range members {
		weights = append(weights, policyv1alpha1.StaticClusterWeight{TargetCluster: policyv1alpha1.ClusterAffinity{ClusterNames: []string{m}}, Weight: 1})
	}
	return &policyv1alpha1.PropagationPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "bench"},
		Spec: policyv1alpha1.PropagationSpec{
			ResourceSelectors: []policyv1alpha1.ResourceSelector{{APIVersion: "apps/v1", Kind: "Deployment",
				LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "bench"}}}},
			Placement: policyv1alpha1.Placement{
				ClusterAffinity: &policyv1alpha1.ClusterAffinity{ClusterNames: members},
				ReplicaScheduling: &policyv1alpha1.ReplicaSchedulingStrategy{
					ReplicaSchedulingType:     policyv1alpha1.ReplicaSchedulingTypeDivided,
					ReplicaDivisionPreference: policyv1alpha1.ReplicaDivisionPreferenceWeighted,
					WeightPreference:          &policyv1alpha1.ClusterPreferences{StaticWeightList: weights},
				},
			},
		},
	}
}

func deployment(i int) *appsv1.Deployment {
	labels := map[string]string{"app": "bench", "instance": fmt.Sprint(i)}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: fmt.Sprintf("bench-%d", i), Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](3),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "app", Image: "nginx",
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m")}},
				}}},
			},
		},
	}
}

// watchReady returns a channel that gets, once all n Deployments of a
// cluster report the wanted ready replicas, when each did (keyed by index).
func watchReady(ctx context.Context, cp *localcluster.Cluster, n int, want int32) <-chan map[int]time.Time {
	out := make(chan map[int]time.Time, 1)
	clientset := kubernetes.NewForConfigOrDie(cp.Config)
	factory := informers.NewSharedInformerFactoryWithOptions(clientset, 0, informers.WithNamespace(namespace))
	var mu sync.Mutex
	readyAt := map[int]time.Time{}
	check := func(obj any) {
		d, ok := obj.(*appsv1.Deployment)
		if !ok || d.Status.ReadyReplicas != want {
			return
		}
		var i int
		if _, err := fmt.Sscanf(d.Name, "bench-%d", &i); err != nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if _, seen := readyAt[i]; !seen {
			readyAt[i] = time.Now()
			if len(readyAt) == n {
				out <- readyAt
			}
		}
	}
	_, _ = factory.Apps().V1().Deployments().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: check, UpdateFunc: func(_, o any) { check(o) },
	})
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	return out
}

func waitClustersReady(ctx context.Context, c client.Client, want int) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var list clusterv1alpha1.ClusterList
		if err := c.List(ctx, &list); err != nil {
			return err
		}
		ready := 0
		for _, cl := range list.Items {
			if meta.IsStatusConditionTrue(cl.Status.Conditions, clusterv1alpha1.ClusterConditionReady) {
				ready++
			}
		}
		if ready == want {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("the members did not become ready")
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// clusterInPath finds the local cluster a process belongs to in its
// command line (kwok keeps each cluster's files under clusters/NAME/).
var clusterInPath = regexp.MustCompile(`clusters/([^/]+)/`)

// processCPU reads the CPU seconds of every process on the machine, keyed
// "command" or "command@cluster", summed over processes of one key.
func processCPU() map[string]float64 {
	out := map[string]float64{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil {
			continue
		}
		cpu, err := localcluster.CPUSeconds(pid)
		if err != nil {
			continue
		}
		key := strings.TrimSpace(string(comm))
		if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil {
			if m := clusterInPath.FindSubmatch(cmdline); m != nil {
				key += "@" + string(m[1])
			}
		}
		out[key] += cpu
	}
	return out
}

// printProcessCPU prints the processes that used the most CPU between two
// readings, per Deployment, busiest first.
func printProcessCPU(before, after map[string]float64, n int) {
	type use struct {
		key     string
		seconds float64
	}
	var uses []use
	for k, v := range after {
		if d := v - before[k]; d >= 0.05 {
			uses = append(uses, use{k, d})
		}
	}
	sort.Slice(uses, func(i, j int) bool { return uses[i].seconds > uses[j].seconds })
	for _, u := range uses[:min(len(uses), 16)] {
		fmt.Printf("cpu_seconds_per_deployment{process=%q} %.4f\n", u.key, u.seconds/float64(n))
	}
}
