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

package scheduler

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
)

// Cluster failover, as Karmada's taint manager does it, but in the
// scheduler, which owns where a workload runs: a NoExecute taint that a
// placement does not tolerate (or tolerates for tolerationSeconds, which
// ran out) takes the workload off the cluster; the new placement is
// written with a graceful eviction task for the cluster left, and the
// binding controller keeps the old copy as the task's purgeMode says. A
// cluster left that way gets no replicas of a divided workload back when
// it recovers, until the policy's placement changes (a duplicated one
// returns: its policy asks for every cluster that fits).

// EvictedAnnotation on a binding records the clusters failover took a
// divided workload from, and the placement that was in force
// ("m1,m2@<placement hash>").
const EvictedAnnotation = "failover.kubectl-karmada.io/evicted"

// TaintEvictionProducer names the scheduler in the tasks it makes.
const TaintEvictionProducer = "TaintManager"

// DefaultTolerations are Karmada's: not-ready and unreachable, each
// tolerated for seconds.
func DefaultTolerations(notReady, unreachable time.Duration) []corev1.Toleration {
	tol := func(key string, d time.Duration) corev1.Toleration {
		return corev1.Toleration{Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute,
			TolerationSeconds: ptr.To(int64(d.Seconds()))}
	}
	return []corev1.Toleration{tol(clusterv1alpha1.TaintClusterNotReady, notReady), tol(clusterv1alpha1.TaintClusterUnreachable, unreachable)}
}

// prepare completes what scheduling needs for failover: the time, the
// default tolerations and the clusters the workload is leaving.
func (s *Scheduler) prepare(w *scheduling.Workload, binding workv1alpha2.Binding) {
	spec := binding.BindingSpec()
	w.Now = time.Now()
	w.DefaultTolerations = s.DefaultTolerations
	for _, t := range spec.GracefulEvictionTasks {
		w.Leaving = append(w.Leaving, t.FromCluster)
	}
	if divided(spec.Placement) {
		w.Leaving = append(w.Leaving, evictedFrom(binding)...)
	}
}

// lookAgain asks for another pass when a NoExecute taint tolerated for a
// while stops being tolerated.
func lookAgain(w scheduling.Workload, members []scheduling.Cluster) reconcile.Result {
	if next := scheduling.NextEviction(w, members); !next.IsZero() {
		return reconcile.Result{RequeueAfter: next.Sub(w.Now) + time.Second}
	}
	return reconcile.Result{}
}

func divided(p *policyv1alpha1.Placement) bool {
	return p != nil && p.ReplicaScheduling != nil && p.ReplicaScheduling.ReplicaSchedulingType == policyv1alpha1.ReplicaSchedulingTypeDivided
}

// evictedFrom reads EvictedAnnotation while the placement it was made
// under stands.
func evictedFrom(binding workv1alpha2.Binding) []string {
	v := binding.GetAnnotations()[EvictedAnnotation]
	clusters, hash, ok := strings.Cut(v, "@")
	if !ok || hash != placementHash(binding.BindingSpec().Placement) || clusters == "" {
		return nil
	}
	return strings.Split(clusters, ",")
}

func placementHash(p *policyv1alpha1.Placement) string {
	data, _ := json.Marshal(p)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6])
}

// evictions are the graceful eviction tasks for the clusters holding the
// workload that a NoExecute taint takes it off (members are the
// candidates it was scheduled against).
func evictions(w scheduling.Workload, members []scheduling.Cluster, spec *workv1alpha2.ResourceBindingSpec) []workv1alpha2.GracefulEvictionTask {
	var out []workv1alpha2.GracefulEvictionTask
	now := metav1.NewTime(w.Now)
	purge := policyv1alpha1.PurgeGracefully
	if f := spec.Failover; f != nil && f.Cluster != nil && f.Cluster.PurgeMode != "" {
		purge = f.Cluster.PurgeMode
	}
	for _, t := range w.Current {
		i := slices.IndexFunc(members, func(c scheduling.Cluster) bool { return c.Name == t.Name })
		if i < 0 {
			continue // left the federation: nothing to evict from
		}
		taint := scheduling.Evicting(w, members[i])
		if taint == nil {
			continue
		}
		out = append(out, workv1alpha2.GracefulEvictionTask{
			FromCluster: t.Name, Replicas: ptr.To(t.Replicas), PurgeMode: purge,
			Reason: "TaintUntolerated", Message: scheduling.NotTolerated(taint),
			Producer: TaintEvictionProducer, CreationTimestamp: &now,
		})
	}
	return out
}

// recordEvictions adds tasks to the binding, and for a divided workload
// records in EvictedAnnotation every cluster a task takes it from (these,
// and those of application failover's tasks).
func recordEvictions(binding workv1alpha2.Binding, tasks []workv1alpha2.GracefulEvictionTask) {
	spec := binding.BindingSpec()
	spec.GracefulEvictionTasks = append(spec.GracefulEvictionTasks, tasks...)
	if !divided(spec.Placement) || len(spec.GracefulEvictionTasks) == 0 {
		return
	}
	clusters := evictedFrom(binding)
	for _, t := range spec.GracefulEvictionTasks {
		if !slices.Contains(clusters, t.FromCluster) {
			clusters = append(clusters, t.FromCluster)
		}
	}
	slices.Sort(clusters)
	ann := binding.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[EvictedAnnotation] = strings.Join(clusters, ",") + "@" + placementHash(spec.Placement)
	binding.SetAnnotations(ann)
}
