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

package scheduling

import (
	"fmt"
	"sort"
	"strings"

	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// Spread constraints group clusters by a field (provider, region, zone,
// cluster) or a label and ask for between minGroups and maxGroups groups.
// They are applied from the widest grouping to the narrowest (provider,
// region, zone, label, cluster), each choosing among the clusters the
// previous one kept. Groups are ranked, best first, by: clusters already
// holding the workload, then replicas they can still hold, then number of
// clusters, then name; so an unchanged input keeps its groups.

// spreadOrder ranks the spread fields from widest to narrowest.
var spreadOrder = map[policyv1alpha1.SpreadFieldValue]int{
	policyv1alpha1.SpreadByFieldProvider: 0,
	policyv1alpha1.SpreadByFieldRegion:   1,
	policyv1alpha1.SpreadByFieldZone:     2,
	"":                                   3, // spreadByLabel
	policyv1alpha1.SpreadByFieldCluster:  4,
}

// constraints returns the placement's spread constraints, widest first.
func constraints(p policyv1alpha1.Placement) []policyv1alpha1.SpreadConstraint {
	out := append([]policyv1alpha1.SpreadConstraint(nil), p.SpreadConstraints...)
	sort.SliceStable(out, func(i, j int) bool {
		return spreadOrder[out[i].SpreadByField] < spreadOrder[out[j].SpreadByField]
	})
	return out
}

// groupOf is c's group under sc, or "" when c lacks the field. A cluster
// in several zones counts in its first.
func groupOf(sc policyv1alpha1.SpreadConstraint, c Cluster) string {
	switch sc.SpreadByField {
	case policyv1alpha1.SpreadByFieldCluster:
		return c.Name
	case policyv1alpha1.SpreadByFieldRegion:
		return c.Region
	case policyv1alpha1.SpreadByFieldZone:
		if len(c.Zones) > 0 {
			return c.Zones[0]
		}
		return ""
	case policyv1alpha1.SpreadByFieldProvider:
		return c.Provider
	}
	return c.Labels[sc.SpreadByLabel]
}

// spreadName names what sc groups by, for messages.
func spreadName(sc policyv1alpha1.SpreadConstraint) string {
	if sc.SpreadByField != "" {
		return string(sc.SpreadByField)
	}
	return "label " + sc.SpreadByLabel
}

// group is the clusters sharing one value of a spread field.
type group struct {
	name      string
	clusters  []Cluster
	holding   int
	available int64
}

// groups splits clusters by sc and ranks the groups, best first.
func groups(w Workload, sc policyv1alpha1.SpreadConstraint, clusters []Cluster) []*group {
	byName := map[string]*group{}
	var out []*group
	for _, c := range clusters {
		name := groupOf(sc, c)
		g := byName[name]
		if g == nil {
			g = &group{name: name}
			byName[name] = g
			out = append(out, g)
		}
		g.clusters = append(g.clusters, c)
		g.available += AvailableReplicas(c, w.Requests)
		for _, t := range w.Current {
			if t.Name == c.Name {
				g.holding++
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.holding != b.holding:
			return a.holding > b.holding
		case a.available != b.available:
			return a.available > b.available
		case len(a.clusters) != len(b.clusters):
			return len(a.clusters) > len(b.clusters)
		}
		return a.name < b.name
	})
	return out
}

// spread applies the spread constraints to the feasible clusters: it drops
// clusters without a spread field, keeps at most maxGroups groups of each
// constraint, and fails when fewer than minGroups groups are left.
func spread(w Workload, feasible []Cluster, v *verdicts) ([]Cluster, error) {
	all := constraints(w.Placement)
	if len(all) == 0 {
		return feasible, nil
	}
	var kept []Cluster
	for _, c := range feasible {
		missing := ""
		for _, sc := range all {
			if groupOf(sc, c) == "" {
				missing = spreadName(sc)
				break
			}
		}
		if missing != "" {
			v.drop(c.Name, FilterSpreadConstraint, "the cluster has no "+missing)
			continue
		}
		kept = append(kept, c)
	}
	for k, sc := range all {
		gs := groups(w, sc, kept)
		if len(gs) < sc.MinGroups {
			names := make([]string, len(gs))
			for i, g := range gs {
				names[i] = g.name
			}
			return nil, fmt.Errorf("%w: spreading by %s needs at least %d groups, the clusters that fit are in %d (%s); %s",
				ErrNoClusterFit, spreadName(sc), sc.MinGroups, len(gs), strings.Join(names, ", "), v.describe())
		}
		if sc.MaxGroups <= 0 || len(gs) <= sc.MaxGroups {
			continue
		}
		chosen := map[string]bool{}
		for _, g := range chooseGroups(w, all[:k], sc, gs, kept) {
			for _, c := range g.clusters {
				chosen[c.Name] = true
			}
		}
		var next []Cluster
		for _, c := range kept {
			if chosen[c.Name] {
				next = append(next, c)
				continue
			}
			v.drop(c.Name, FilterSpreadConstraint, fmt.Sprintf("%s %s not chosen: at most %d groups, others rank higher",
				spreadName(sc), groupOf(sc, c), sc.MaxGroups))
		}
		kept = next
	}
	return kept, nil
}

// chooseGroups keeps at most sc.MaxGroups of the ranked groups gs, as
// Karmada's spread selection does when constraints combine: first the
// best group within each group the wider constraints kept (one cluster in
// each chosen region, say, even if that is more than a cluster
// constraint's maxGroups: the wider constraint wins), then the best of the
// others up to maxGroups.
func chooseGroups(w Workload, wider []policyv1alpha1.SpreadConstraint, sc policyv1alpha1.SpreadConstraint, gs []*group, kept []Cluster) []*group {
	var out []*group
	taken := map[*group]bool{}
	take := func(g *group) {
		if !taken[g] {
			taken[g] = true
			out = append(out, g)
		}
	}
	for _, wc := range wider {
		for _, outer := range groups(w, wc, kept) {
			for _, g := range gs {
				if groupOf(wc, g.clusters[0]) == outer.name {
					take(g)
					break
				}
			}
		}
	}
	for _, g := range gs {
		if len(out) >= sc.MaxGroups {
			break
		}
		take(g)
	}
	return out
}

// spreadSeeds picks, for a division, one cluster per group until every
// constraint's minGroups is covered: the one with the most room (capacity
// or weight) in the best group not yet covered. Clusters that already
// hold replicas cover their groups. Each seed is then given one replica
// before the rest is divided, so no group the constraint needs is left
// empty. It returns the seeds' indexes in clusters.
func spreadSeeds(w Workload, clusters []Cluster, room []int64, current map[string]int32) []int {
	var seeds []int
	seeded := map[int]bool{}
	for _, sc := range constraints(w.Placement) {
		covered := map[string]bool{}
		for i, c := range clusters {
			if current[c.Name] > 0 || seeded[i] {
				covered[groupOf(sc, c)] = true
			}
		}
		for _, g := range groups(w, sc, clusters) {
			if len(covered) >= sc.MinGroups {
				break
			}
			if covered[g.name] {
				continue
			}
			best := -1
			for i, c := range clusters {
				if groupOf(sc, c) == g.name && room[i] > 0 && (best < 0 || room[i] > room[best]) {
					best = i
				}
			}
			if best >= 0 {
				seeds = append(seeds, best)
				seeded[best] = true
				covered[g.name] = true
			}
		}
	}
	return seeds
}

// seed gives each seed one of n replicas (while they last) and takes it
// from its room; it returns what is left to divide.
func seed(n int32, seeds []int, added []int32, room []int64) int32 {
	for _, i := range seeds {
		if n > 0 {
			added[i]++
			room[i]--
			n--
		}
	}
	return n
}

// checkSpread fails when the replicas, once divided, land in fewer groups
// than a constraint's minGroups (too few replicas, or weights that leave a
// group empty).
func checkSpread(w Workload, feasible []Cluster, placed []workv1alpha2.TargetCluster) error {
	if len(w.Placement.SpreadConstraints) == 0 {
		return nil
	}
	byName := map[string]Cluster{}
	for _, c := range feasible {
		byName[c.Name] = c
	}
	for _, sc := range constraints(w.Placement) {
		in := map[string]bool{}
		for _, t := range placed {
			if t.Replicas > 0 {
				in[groupOf(sc, byName[t.Name])] = true
			}
		}
		if len(in) < sc.MinGroups {
			return fmt.Errorf("%w: %d replicas land in %d %s groups, the spread constraint needs at least %d",
				ErrUnschedulable, w.Replicas, len(in), spreadName(sc), sc.MinGroups)
		}
	}
	return nil
}
