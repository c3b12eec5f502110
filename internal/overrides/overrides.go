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

// Package overrides applies OverridePolicies and ClusterOverridePolicies to
// the copy of a template a member receives: cluster-wide policies first,
// then the namespace's, each in name order, and within a rule the
// overriders in Karmada's order (image, command, args, labels,
// annotations, field, plaintext).
package overrides

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	policyv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/policy/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheduling"
	"github.com/kubectl-karmada/kubectl-karmada/internal/selector"
)

// Set is the override rules that apply to one template.
type Set struct {
	rules    []rule
	clusters map[string]scheduling.Cluster
}

// rule is one override rule and the policy it comes from.
type rule struct {
	policy client.Object
	policyv1alpha1.RuleWithCluster
}

// IdentityError is an override that tried to change which object a member
// copy is: its API group, kind, namespace or name. Such a copy would land
// somewhere its template's owner may not write (another namespace, a
// system namespace, another kind), so it is refused whatever the policy
// says.
type IdentityError struct {
	// Policy is the OverridePolicy or ClusterOverridePolicy whose rule tried.
	Policy   client.Object
	Field    string
	From, To string
}

func (e *IdentityError) Error() string {
	return fmt.Sprintf("%s refused: an override may not change the %s of a member copy (%q to %q)",
		policyName(e.Policy), e.Field, e.From, e.To)
}

// policyName names an override policy for messages: "OverridePolicy
// ns/name" or "ClusterOverridePolicy name".
func policyName(p client.Object) string {
	if _, ok := p.(*policyv1alpha1.ClusterOverridePolicy); ok {
		return "ClusterOverridePolicy " + p.GetName()
	}
	return "OverridePolicy " + p.GetNamespace() + "/" + p.GetName()
}

// ForTemplate collects the rules of every override policy selecting
// template: it reads the policies and the Clusters, and Select decides.
func ForTemplate(ctx context.Context, c client.Reader, template *unstructured.Unstructured) (*Set, error) {
	var cops policyv1alpha1.ClusterOverridePolicyList
	if err := c.List(ctx, &cops); err != nil {
		return nil, err
	}
	var policies []client.Object
	for i := range cops.Items {
		policies = append(policies, &cops.Items[i])
	}
	if template.GetNamespace() != "" {
		var ops policyv1alpha1.OverridePolicyList
		if err := c.List(ctx, &ops, client.InNamespace(template.GetNamespace())); err != nil {
			return nil, err
		}
		for i := range ops.Items {
			policies = append(policies, &ops.Items[i])
		}
	}
	var clusters clusterv1alpha1.ClusterList
	if len(policies) > 0 {
		if err := c.List(ctx, &clusters); err != nil {
			return nil, err
		}
	}
	return Select(policies, clusters.Items, template), nil
}

// Select is the Set of rules that apply to template, from policies
// (ClusterOverridePolicies and OverridePolicies; other objects are
// ignored) and the Clusters their targetCluster selectors are read
// against. ClusterOverridePolicies apply first, then OverridePolicies,
// each kind by name, so a namespace's own rules have the last word.
func Select(policies []client.Object, clusters []clusterv1alpha1.Cluster, template *unstructured.Unstructured) *Set {
	type source struct {
		policy client.Object
		spec   *policyv1alpha1.OverrideSpec
	}
	var cluster, namespaced []source
	for _, p := range policies {
		switch p := p.(type) {
		case *policyv1alpha1.ClusterOverridePolicy:
			cluster = append(cluster, source{p, &p.Spec})
		case *policyv1alpha1.OverridePolicy:
			namespaced = append(namespaced, source{p, &p.Spec})
		}
	}
	for _, list := range [][]source{cluster, namespaced} {
		sort.Slice(list, func(i, j int) bool { return list[i].policy.GetName() < list[j].policy.GetName() })
	}
	set := &Set{}
	for _, src := range append(cluster, namespaced...) {
		spec := src.spec
		if !selector.Selects(spec.ResourceSelectors, src.policy.GetNamespace(), template) {
			continue
		}
		for _, r := range spec.OverrideRules {
			set.rules = append(set.rules, rule{src.policy, r})
		}
		if spec.TargetCluster != nil || !emptyOverriders(spec.Overriders) {
			set.rules = append(set.rules, rule{src.policy, policyv1alpha1.RuleWithCluster{TargetCluster: spec.TargetCluster, Overriders: spec.Overriders}})
		}
	}
	if len(set.rules) == 0 {
		return set
	}
	set.clusters = map[string]scheduling.Cluster{}
	for _, in := range scheduling.FromClusters(clusters) {
		set.clusters[in.Name] = in
	}
	return set
}

// Apply changes obj, the copy for cluster, by every rule targeting cluster.
// A rule that changes the copy's identity fails with an *IdentityError.
func (s *Set) Apply(obj *unstructured.Unstructured, cluster string) error {
	if s == nil {
		return nil
	}
	for _, r := range s.rules {
		if r.TargetCluster != nil {
			c, ok := s.clusters[cluster]
			if !ok || !scheduling.Matches(*r.TargetCluster, c) {
				continue
			}
		}
		before := identityOf(obj)
		if err := apply(obj, r.Overriders); err != nil {
			return fmt.Errorf("%s: %w", policyName(r.policy), err)
		}
		after := identityOf(obj)
		for i, field := range identityFields {
			if before[i] != after[i] {
				return &IdentityError{Policy: r.policy, Field: field, From: before[i], To: after[i]}
			}
		}
	}
	return nil
}

// identityFields name what identityOf returns, in its order.
var identityFields = []string{"API group", "kind", "namespace", "name"}

// identityOf is what makes an object the object it is in a member. The
// version of its API group may change (a member may serve another one).
func identityOf(obj *unstructured.Unstructured) [4]string {
	return [4]string{obj.GroupVersionKind().Group, obj.GetKind(), obj.GetNamespace(), obj.GetName()}
}

func emptyOverriders(o policyv1alpha1.Overriders) bool {
	return len(o.Plaintext)+len(o.ImageOverrider)+len(o.CommandOverrider)+len(o.ArgsOverrider)+
		len(o.LabelsOverrider)+len(o.AnnotationsOverrider)+len(o.FieldOverrider) == 0
}

func apply(obj *unstructured.Unstructured, o policyv1alpha1.Overriders) error {
	for _, io := range o.ImageOverrider {
		if err := overrideImages(obj, io); err != nil {
			return err
		}
	}
	for _, c := range o.CommandOverrider {
		if err := overrideContainerList(obj, c, "command"); err != nil {
			return err
		}
	}
	for _, c := range o.ArgsOverrider {
		if err := overrideContainerList(obj, c, "args"); err != nil {
			return err
		}
	}
	for _, l := range o.LabelsOverrider {
		obj.SetLabels(overrideMap(obj.GetLabels(), l))
	}
	for _, a := range o.AnnotationsOverrider {
		obj.SetAnnotations(overrideMap(obj.GetAnnotations(), a))
	}
	for _, f := range o.FieldOverrider {
		if err := overrideField(obj, f); err != nil {
			return err
		}
	}
	if len(o.Plaintext) > 0 {
		ops := make([]map[string]any, 0, len(o.Plaintext))
		for _, p := range o.Plaintext {
			op := map[string]any{"op": string(p.Operator), "path": p.Path}
			if p.Operator != policyv1alpha1.OverriderOpRemove {
				op["value"] = rawValue(p.Value.Raw)
			}
			ops = append(ops, op)
		}
		if err := patchObject(obj, ops); err != nil {
			return fmt.Errorf("plaintext overrider: %w", err)
		}
	}
	return nil
}

func overrideMap(m map[string]string, o policyv1alpha1.LabelAnnotationOverrider) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	for k, v := range o.Value {
		switch o.Operator {
		case policyv1alpha1.OverriderOpAdd:
			m[k] = v
		case policyv1alpha1.OverriderOpReplace:
			if _, ok := m[k]; ok {
				m[k] = v
			}
		case policyv1alpha1.OverriderOpRemove:
			delete(m, k)
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// podSpecPath is where each workload kind keeps its pod spec.
var podSpecPath = map[string][]string{
	"Pod":              {"spec"},
	"ReplicaSet.apps":  {"spec", "template", "spec"},
	"Deployment.apps":  {"spec", "template", "spec"},
	"DaemonSet.apps":   {"spec", "template", "spec"},
	"StatefulSet.apps": {"spec", "template", "spec"},
	"Job.batch":        {"spec", "template", "spec"},
	"CronJob.batch":    {"spec", "jobTemplate", "spec", "template", "spec"},
}

// eachContainer calls f for each container map of obj's pod spec.
func eachContainer(obj *unstructured.Unstructured, f func(c map[string]any) error) error {
	path, ok := podSpecPath[obj.GroupVersionKind().GroupKind().String()]
	if !ok {
		return nil
	}
	for _, list := range []string{"initContainers", "containers"} {
		containers, found, err := unstructured.NestedSlice(obj.Object, append(path, list)...)
		if err != nil || !found {
			continue
		}
		for _, c := range containers {
			if cm, ok := c.(map[string]any); ok {
				if err := f(cm); err != nil {
					return err
				}
			}
		}
		if err := unstructured.SetNestedSlice(obj.Object, containers, append(path, list)...); err != nil {
			return err
		}
	}
	return nil
}

func overrideImages(obj *unstructured.Unstructured, o policyv1alpha1.ImageOverrider) error {
	if o.Predicate != nil {
		current, ok := lookup(obj.Object, o.Predicate.Path).(string)
		if !ok {
			return nil
		}
		ops := []map[string]any{{"op": "replace", "path": o.Predicate.Path, "value": ChangeImage(current, o)}}
		return patchObject(obj, ops)
	}
	return eachContainer(obj, func(c map[string]any) error {
		if image, ok := c["image"].(string); ok {
			c["image"] = ChangeImage(image, o)
		}
		return nil
	})
}

func overrideContainerList(obj *unstructured.Unstructured, o policyv1alpha1.CommandArgsOverrider, field string) error {
	return eachContainer(obj, func(c map[string]any) error {
		if c["name"] != o.ContainerName {
			return nil
		}
		var items []any
		if cur, ok := c[field].([]any); ok {
			items = cur
		}
		switch o.Operator {
		case policyv1alpha1.OverriderOpAdd:
			for _, v := range o.Value {
				items = append(items, v)
			}
		case policyv1alpha1.OverriderOpRemove:
			drop := map[string]bool{}
			for _, v := range o.Value {
				drop[v] = true
			}
			kept := items[:0]
			for _, it := range items {
				if s, _ := it.(string); !drop[s] {
					kept = append(kept, it)
				}
			}
			items = kept
		}
		c[field] = items
		return nil
	})
}

// overrideField patches a JSON or YAML document held in a string field.
func overrideField(obj *unstructured.Unstructured, f policyv1alpha1.FieldOverrider) error {
	fields := toFields(strings.Split(strings.TrimPrefix(f.FieldPath, "/"), "/"))
	raw, found, err := unstructured.NestedString(obj.Object, fields...)
	if err != nil || !found {
		return err
	}
	var doc map[string]any
	isYAML := len(f.YAML) > 0
	if err := yaml.Unmarshal([]byte(raw), &doc); err != nil {
		return fmt.Errorf("fieldOverrider %s: %w", f.FieldPath, err)
	}
	var ops []map[string]any
	for _, op := range f.JSON {
		ops = append(ops, patchOp(string(op.Operator), op.SubPath, op.Value.Raw))
	}
	for _, op := range f.YAML {
		ops = append(ops, patchOp(string(op.Operator), op.SubPath, op.Value.Raw))
	}
	patched, err := patch(doc, ops)
	if err != nil {
		return fmt.Errorf("fieldOverrider %s: %w", f.FieldPath, err)
	}
	doc = map[string]any{}
	if err := json.Unmarshal(patched, &doc); err != nil {
		return err
	}
	var out []byte
	if isYAML {
		out, err = yaml.Marshal(doc)
	} else {
		out, err = json.Marshal(doc)
	}
	if err != nil {
		return err
	}
	return unstructured.SetNestedField(obj.Object, string(out), fields...)
}

func patchOp(op, path string, value []byte) map[string]any {
	m := map[string]any{"op": op, "path": path}
	if op != string(policyv1alpha1.OverriderOpRemove) {
		m["value"] = rawValue(value)
	}
	return m
}

func rawValue(raw []byte) any {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return v
}

// patch applies JSON-patch operations to doc and returns the result as JSON.
func patch(doc map[string]any, ops []map[string]any) ([]byte, error) {
	docJSON, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	opsJSON, err := json.Marshal(ops)
	if err != nil {
		return nil, err
	}
	p, err := jsonpatch.DecodePatch(opsJSON)
	if err != nil {
		return nil, err
	}
	return p.ApplyWithOptions(docJSON, &jsonpatch.ApplyOptions{EnsurePathExistsOnAdd: true, AllowMissingPathOnRemove: true, SupportNegativeIndices: true})
}

// patchObject applies JSON-patch operations to a Kubernetes object, decoding
// the result as the API machinery does (whole numbers stay int64, so the
// typed helpers keep reading them).
func patchObject(obj *unstructured.Unstructured, ops []map[string]any) error {
	out, err := patch(obj.Object, ops)
	if err != nil {
		return err
	}
	patched := &unstructured.Unstructured{}
	if err := patched.UnmarshalJSON(out); err != nil {
		return err
	}
	obj.Object = patched.Object
	return nil
}

// lookup returns the value at a JSON pointer of doc, or nil.
func lookup(doc any, pointer string) any {
	cur := doc
	for _, seg := range toFields(strings.Split(strings.TrimPrefix(pointer, "/"), "/")) {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

// toFields unescapes JSON-pointer segments.
func toFields(segments []string) []string {
	out := make([]string, len(segments))
	for i, s := range segments {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return out
}
