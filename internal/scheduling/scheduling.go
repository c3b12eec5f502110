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

// Package scheduling decides where a binding's template goes and how many
// replicas each member cluster gets. It is pure: plain inputs, plain
// outputs, no clients; the scheduler controller and the command line's
// what-if both call it.
package scheduling

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/selector"
)

// Cluster is what scheduling needs to know of a member.
type Cluster struct {
	Name     string
	Labels   map[string]string
	Provider string
	Region   string
	Zones    []string
	Taints   []corev1.Taint
	// APIs holds "group/version, Kind" entries the member serves; nil
	// means not known yet, which does not filter the member out.
	APIs map[string]bool
	// Free is what the member can still give: allocatable minus
	// allocated minus allocating. Nil means not known yet.
	Free corev1.ResourceList
	// QuotaFree is what the member's ResourceQuotas in the workload's
	// namespace still allow its pods (QuotaFree); nil when none applies.
	QuotaFree corev1.ResourceList
}

// Workload is what scheduling needs to know of a binding.
type Workload struct {
	// APIVersion and Kind of the template.
	APIVersion, Kind string
	// Replicas to place; 0 for kinds without replicas.
	Replicas int32
	// HasReplicas is false for kinds without replicas (ConfigMap, Service):
	// they go to every chosen cluster whatever the division.
	HasReplicas bool
	// Placement from the policy.
	Placement policyv1alpha1.Placement
	// Current is the previous result, so clusters already holding the
	// workload are not dropped for a NoSchedule taint and capacity-based
	// divisions move as few replicas as possible.
	Current []workv1alpha2.TargetCluster
	// Requests are what one replica needs (for capacity-based division).
	Requests corev1.ResourceList
	// Now is when the placement is made: a NoExecute taint tolerated for
	// tolerationSeconds stops being tolerated that long after it was
	// added. Zero means tolerated for ever.
	Now time.Time
	// DefaultTolerations apply to a NoExecute taint that none of the
	// placement's tolerations names (Karmada's webhook adds them to every
	// policy: not-ready and unreachable, for 300 seconds).
	DefaultTolerations []corev1.Toleration
	// Leaving are the clusters the workload is leaving (its graceful
	// eviction tasks, and clusters failover took it from while the
	// placement stands): they get none of it.
	Leaving []string
}

// Result is a scheduling decision.
type Result struct {
	// Clusters chosen, sorted by name, with their replicas.
	Clusters []workv1alpha2.TargetCluster
	// AffinityName is the clusterAffinities term in use, if any.
	AffinityName string
	// Decisions holds the verdict on every cluster, sorted by name: the
	// filter that dropped it and why, or its replicas (and, for divisions
	// by capacity, how many it could hold).
	Decisions []workv1alpha2.ClusterDecision
}

// Filtered returns why cluster was left out ("Filter: reason"), or "".
func (r Result) Filtered(cluster string) string {
	for _, d := range r.Decisions {
		if d.Cluster == cluster && d.Filter != "" {
			return d.Filter + ": " + d.Reason
		}
	}
	return ""
}

// Reasons a scheduling fails, for the binding's Scheduled condition.
var (
	// ErrNoClusterFit means no cluster passed the filters.
	ErrNoClusterFit = errors.New("no cluster fits")
)

// Filters, as named in decisions.
const (
	FilterAPIEnablement    = "APIEnablement"
	FilterClusterAffinity  = "ClusterAffinity"
	FilterTaintToleration  = "TaintToleration"
	FilterEviction         = "Eviction"
	FilterSpreadConstraint = "SpreadConstraint"
	FilterStaticWeight     = "StaticWeight"
	FilterCapacity         = "Capacity"
)

// verdicts collects the decision on each cluster while scheduling runs,
// in the order of the clusters, which are sorted by name.
type verdicts struct {
	list []workv1alpha2.ClusterDecision
}

func newVerdicts(clusters []Cluster) *verdicts {
	v := &verdicts{list: make([]workv1alpha2.ClusterDecision, len(clusters))}
	for i, c := range clusters {
		v.list[i].Cluster = c.Name
	}
	return v
}

// reset forgets every verdict, for the next affinity term.
func (v *verdicts) reset() {
	for i := range v.list {
		v.list[i] = workv1alpha2.ClusterDecision{Cluster: v.list[i].Cluster}
	}
}

func (v *verdicts) drop(cluster, filter, reason string) {
	d := v.get(cluster)
	d.Filter, d.Reason = filter, reason
}

func (v *verdicts) get(cluster string) *workv1alpha2.ClusterDecision {
	i := sort.Search(len(v.list), func(i int) bool { return v.list[i].Cluster >= cluster })
	return &v.list[i]
}

// describe lists the dropped clusters and why, for an error message.
func (v *verdicts) describe() string {
	var parts []string
	for _, d := range v.list {
		if d.Filter != "" {
			parts = append(parts, d.Cluster+": "+d.Filter+": "+d.Reason)
		}
	}
	if len(parts) == 0 {
		return "there are no clusters"
	}
	return strings.Join(parts, "; ")
}

// Schedule places w on some of clusters.
func Schedule(w Workload, clusters []Cluster) (Result, error) {
	sort.Slice(clusters, func(i, j int) bool { return clusters[i].Name < clusters[j].Name })
	res := Result{}
	v := newVerdicts(clusters)
	err := schedule(w, clusters, &res, v)
	for _, t := range res.Clusters {
		d := v.get(t.Name)
		d.Selected, d.Replicas = true, t.Replicas
	}
	res.Decisions = v.list
	return res, err
}

func schedule(w Workload, clusters []Cluster, res *Result, v *verdicts) error {
	terms := affinityTerms(w.Placement)
	var feasible []Cluster
	for _, term := range terms {
		feasible = feasible[:0]
		v.reset()
		for _, c := range clusters {
			if filter, reason := filter(w, term.ClusterAffinity, c); filter != "" {
				v.drop(c.Name, filter, reason)
				continue
			}
			feasible = append(feasible, c)
		}
		if len(feasible) > 0 {
			res.AffinityName = term.AffinityName
			break
		}
	}
	if len(feasible) == 0 {
		return fmt.Errorf("%w: %s", ErrNoClusterFit, v.describe())
	}
	feasible, err := spread(w, feasible, v)
	if err != nil {
		return err
	}
	// Every mode records what each cluster could still hold, when known.
	available := make([]int64, len(feasible))
	for i, c := range feasible {
		if c.Free != nil {
			available[i] = AvailableReplicas(c, w.Requests)
			v.get(c.Name).AvailableReplicas = &available[i]
		}
	}

	rs := w.Placement.ReplicaScheduling
	switch {
	case rs == nil || rs.ReplicaSchedulingType == policyv1alpha1.ReplicaSchedulingTypeDuplicated || !w.HasReplicas:
		for _, c := range feasible {
			res.Clusters = append(res.Clusters, workv1alpha2.TargetCluster{Name: c.Name, Replicas: w.Replicas})
		}
		return nil
	case rs.ReplicaDivisionPreference == policyv1alpha1.ReplicaDivisionPreferenceAggregated,
		rs.WeightPreference != nil && rs.WeightPreference.DynamicWeight != "":
		clusters, err := divideByCapacity(w, feasible, available, rs.ReplicaDivisionPreference == policyv1alpha1.ReplicaDivisionPreferenceAggregated, v)
		res.Clusters = clusters
		if err == nil {
			err = checkSpread(w, feasible, res.Clusters)
		}
		return err
	}

	weights := make([]int64, len(feasible))
	for i, c := range feasible {
		weights[i] = staticWeight(rs.WeightPreference, c)
	}
	split := make([]int32, len(feasible))
	rest := seed(w.Replicas, spreadSeeds(w, feasible, weights, nil), split, append([]int64(nil), weights...))
	for i, n := range Webster(rest, weights) {
		split[i] += n
	}
	for i, c := range feasible {
		if weights[i] == 0 {
			v.drop(c.Name, FilterStaticWeight, "matches no rule of the weight list")
			continue
		}
		if split[i] > 0 {
			res.Clusters = append(res.Clusters, workv1alpha2.TargetCluster{Name: c.Name, Replicas: split[i]})
		}
	}
	if len(res.Clusters) == 0 {
		return fmt.Errorf("%w: %s", ErrNoClusterFit, v.describe())
	}
	return checkSpread(w, feasible, res.Clusters)
}

// Bounded orders decisions for the binding status, chosen clusters first
// and then by name, and keeps at most max of them; it returns how many
// were left out.
func Bounded(decisions []workv1alpha2.ClusterDecision, limit int) ([]workv1alpha2.ClusterDecision, int32) {
	out := append([]workv1alpha2.ClusterDecision(nil), decisions...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Selected && !out[j].Selected })
	if len(out) <= limit {
		return out, 0
	}
	return out[:limit], int32(len(out) - limit) //nolint:gosec // a count of clusters
}

// UsesCapacity reports whether a placement divides replicas by what the
// clusters can hold (dynamic weight or aggregated).
func UsesCapacity(p *policyv1alpha1.Placement) bool {
	if p == nil || p.ReplicaScheduling == nil || p.ReplicaScheduling.ReplicaSchedulingType != policyv1alpha1.ReplicaSchedulingTypeDivided {
		return false
	}
	rs := p.ReplicaScheduling
	return rs.ReplicaDivisionPreference == policyv1alpha1.ReplicaDivisionPreferenceAggregated ||
		rs.WeightPreference != nil && rs.WeightPreference.DynamicWeight != ""
}

// Mode names a placement's replica division for people: Duplicated,
// Static weights, Equal weights, Dynamic weight or Aggregated.
func Mode(p *policyv1alpha1.Placement) string {
	if p == nil || p.ReplicaScheduling == nil || p.ReplicaScheduling.ReplicaSchedulingType != policyv1alpha1.ReplicaSchedulingTypeDivided {
		return "Duplicated"
	}
	rs := p.ReplicaScheduling
	switch {
	case rs.ReplicaDivisionPreference == policyv1alpha1.ReplicaDivisionPreferenceAggregated:
		return "Aggregated"
	case rs.WeightPreference != nil && rs.WeightPreference.DynamicWeight != "":
		return "Dynamic weight"
	case rs.WeightPreference != nil && len(rs.WeightPreference.StaticWeightList) > 0:
		return "Static weights"
	}
	return "Equal weights"
}

// affinityTerms lists the affinity terms to try in order: the single
// clusterAffinity (or "everything") or each clusterAffinities term.
func affinityTerms(p policyv1alpha1.Placement) []policyv1alpha1.ClusterAffinityTerm {
	if len(p.ClusterAffinities) > 0 {
		return p.ClusterAffinities
	}
	term := policyv1alpha1.ClusterAffinityTerm{}
	if p.ClusterAffinity != nil {
		term.ClusterAffinity = *p.ClusterAffinity
	}
	return []policyv1alpha1.ClusterAffinityTerm{term}
}

// filter returns the filter that drops c and why, or "" when c can take w.
func filter(w Workload, affinity policyv1alpha1.ClusterAffinity, c Cluster) (string, string) {
	if contains(w.Leaving, c.Name) {
		return FilterEviction, "the workload was evicted from it (failover); it comes back when the policy changes"
	}
	if c.APIs != nil && !c.APIs[w.APIVersion+", "+w.Kind] {
		return FilterAPIEnablement, fmt.Sprintf("the cluster does not serve %s %s", w.APIVersion, w.Kind)
	}
	if !Matches(affinity, c) {
		return FilterClusterAffinity, "not selected by the placement's cluster affinity"
	}
	if t := untolerated(w, c); t != nil {
		return FilterTaintToleration, NotTolerated(t)
	}
	return "", ""
}

// Matches reports whether affinity selects c: every part that is set must
// match, and Exclude always wins.
func Matches(affinity policyv1alpha1.ClusterAffinity, c Cluster) bool {
	for _, name := range affinity.ExcludeClusters {
		if name == c.Name {
			return false
		}
	}
	if len(affinity.ClusterNames) > 0 && !contains(affinity.ClusterNames, c.Name) {
		return false
	}
	if affinity.LabelSelector != nil && !selector.LabelsMatch(affinity.LabelSelector, c.Labels) {
		return false
	}
	if affinity.FieldSelector != nil {
		for _, e := range affinity.FieldSelector.MatchExpressions {
			var values []string
			switch e.Key {
			case "provider":
				values = []string{c.Provider}
			case "region":
				values = []string{c.Region}
			case "zone":
				values = c.Zones
			}
			in := false
			for _, v := range values {
				in = in || contains(e.Values, v)
			}
			if (e.Operator == corev1.NodeSelectorOpIn) != in {
				return false
			}
		}
	}
	return true
}

// untolerated returns the first taint of c that w does not tolerate. A
// NoSchedule taint does not drop a cluster that already holds w; a
// NoExecute taint tolerated for tolerationSeconds drops it that long after
// the taint was added.
func untolerated(w Workload, c Cluster) *corev1.Taint {
	placed := false
	for _, t := range w.Current {
		placed = placed || t.Name == c.Name
	}
	for i := range c.Taints {
		t := &c.Taints[i]
		if t.Effect == corev1.TaintEffectPreferNoSchedule || (t.Effect == corev1.TaintEffectNoSchedule && placed) {
			continue
		}
		until, ok := toleratedUntil(w, t)
		if !ok || (!until.IsZero() && !w.Now.IsZero() && !w.Now.Before(until)) {
			return t
		}
	}
	return nil
}

// NotTolerated says that t is not tolerated, as the TaintToleration
// filter and failover's eviction tasks put it.
func NotTolerated(t *corev1.Taint) string {
	return fmt.Sprintf("taint %s:%s is not tolerated", taintString(t), t.Effect)
}

// Evicting returns the NoExecute taint of c that takes w off it (not
// tolerated, or no longer), or nil: failover's reason to leave a cluster
// that holds w.
func Evicting(w Workload, c Cluster) *corev1.Taint {
	if t := untolerated(w, c); t != nil && t.Effect == corev1.TaintEffectNoExecute {
		return t
	}
	return nil
}

// toleratedUntil says whether w tolerates t, and until when (zero: for
// ever). The placement's tolerations decide; a NoExecute taint none of
// them names falls to the default tolerations. The longest toleration
// wins, as in Kubernetes.
func toleratedUntil(w Workload, t *corev1.Taint) (time.Time, bool) {
	tolerations := w.Placement.ClusterTolerations
	if t.Effect == corev1.TaintEffectNoExecute && !aboutTaint(tolerations, t) {
		tolerations = w.DefaultTolerations
	}
	var until time.Time
	found := false
	for i := range tolerations {
		tol := &tolerations[i]
		if !tol.ToleratesTaint(klog.Background(), t, false) {
			continue
		}
		if t.Effect != corev1.TaintEffectNoExecute || tol.TolerationSeconds == nil {
			return time.Time{}, true
		}
		added := w.Now
		if t.TimeAdded != nil {
			added = t.TimeAdded.Time
		}
		if end := added.Add(time.Duration(*tol.TolerationSeconds) * time.Second); !found || end.After(until) {
			until = end
		}
		found = true
	}
	return until, found
}

// aboutTaint reports whether a toleration in list is about t's key and effect.
func aboutTaint(list []corev1.Toleration, t *corev1.Taint) bool {
	for _, tol := range list {
		if (tol.Key == t.Key || (tol.Key == "" && tol.Operator == corev1.TolerationOpExists)) && (tol.Effect == "" || tol.Effect == t.Effect) {
			return true
		}
	}
	return false
}

// NextEviction is the earliest time, after w.Now, at which a NoExecute
// taint that w tolerates for a while on a cluster it holds stops being
// tolerated; zero when there is none. The scheduler looks again then.
func NextEviction(w Workload, clusters []Cluster) time.Time {
	var next time.Time
	for _, c := range clusters {
		if !contains(currentNames(w), c.Name) {
			continue
		}
		for i := range c.Taints {
			t := &c.Taints[i]
			if t.Effect != corev1.TaintEffectNoExecute {
				continue
			}
			if until, ok := toleratedUntil(w, t); ok && !until.IsZero() && until.After(w.Now) && (next.IsZero() || until.Before(next)) {
				next = until
			}
		}
	}
	return next
}

func currentNames(w Workload) []string {
	out := make([]string, 0, len(w.Current))
	for _, t := range w.Current {
		out = append(out, t.Name)
	}
	return out
}

// staticWeight is c's weight: the largest weight among the rules that
// match it, or 0. No weight list means equal weights.
func staticWeight(pref *policyv1alpha1.ClusterPreferences, c Cluster) int64 {
	if pref == nil || len(pref.StaticWeightList) == 0 {
		return 1
	}
	var best int64
	for _, rule := range pref.StaticWeightList {
		if rule.Weight > best && Matches(rule.TargetCluster, c) {
			best = rule.Weight
		}
	}
	return best
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func taintString(t *corev1.Taint) string {
	if t.Value == "" {
		return t.Key
	}
	return t.Key + "=" + t.Value
}

// FromClusters turns Cluster objects into what scheduling needs; Clusters
// being deleted are left out.
func FromClusters(clusters []clusterv1alpha1.Cluster) []Cluster {
	out := make([]Cluster, 0, len(clusters))
	for i := range clusters {
		c := &clusters[i]
		if !c.DeletionTimestamp.IsZero() {
			continue
		}
		in := Cluster{
			Name: c.Name, Labels: c.Labels, Provider: c.Spec.Provider, Region: c.Spec.Region,
			Zones: c.Spec.Zones, Taints: c.Spec.Taints,
		}
		if c.Spec.Zone != "" && len(in.Zones) == 0 {
			in.Zones = []string{c.Spec.Zone}
		}
		if rs := c.Status.ResourceSummary; rs != nil && rs.Allocatable != nil {
			in.Free = corev1.ResourceList{}
			for name, q := range rs.Allocatable {
				free := q.DeepCopy()
				if used, ok := rs.Allocated[name]; ok {
					free.Sub(used)
				}
				if pending, ok := rs.Allocating[name]; ok {
					free.Sub(pending)
				}
				in.Free[name] = free
			}
		}
		if len(c.Status.APIEnablements) > 0 {
			in.APIs = map[string]bool{}
			for _, e := range c.Status.APIEnablements {
				for _, r := range e.Resources {
					in.APIs[e.GroupVersion+", "+r.Kind] = true
				}
			}
		}
		out = append(out, in)
	}
	return out
}
