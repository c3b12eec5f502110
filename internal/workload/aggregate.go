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

package workload

import (
	"encoding/json"
	"strconv"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

// memberStatus is one member's reflected status, decoded.
type memberStatus struct {
	cluster string
	status  map[string]any
}

// aggregator makes a template's status from its members' for one kind.
// It returns nil to leave the template's status alone.
type aggregator func(template *unstructured.Unstructured, members []memberStatus, reported bool) (map[string]any, error)

// aggregators are the kinds whose template status is made from the
// members', with Karmada's rules; every other kind keeps its members'
// statuses only in the binding's aggregatedStatus.
var aggregators = map[string]aggregator{
	"Deployment.apps":            sumReplicas,
	"StatefulSet.apps":           sumReplicas,
	"ReplicaSet.apps":            sumReplicas,
	"DaemonSet.apps":             sumReplicas,
	"Job.batch":                  aggregateJob,
	"CronJob.batch":              aggregateCronJob,
	"Service":                    loadBalancers,
	"Ingress.networking.k8s.io":  loadBalancers,
	"Pod":                        aggregatePod,
	"PersistentVolume":           worstPhase("Failed", "Pending", "Available", "Bound", "Released"),
	"PersistentVolumeClaim":      aggregateClaim,
	"PodDisruptionBudget.policy": aggregateDisruptionBudget,
}

// Aggregates reports whether the template of a kind gets its status from
// its members.
func Aggregates(kind string) bool {
	_, ok := aggregators[kind]
	return ok
}

// Aggregate returns the template's new status from its members' reflected
// statuses (items, one per target cluster, Status nil where none was
// reported yet), or nil for kinds whose status is left alone.
func Aggregate(template *unstructured.Unstructured, items []workv1alpha2.AggregatedStatusItem) (map[string]any, error) {
	agg, ok := aggregators[template.GroupVersionKind().GroupKind().String()]
	if !ok {
		return nil, nil
	}
	members := make([]memberStatus, 0, len(items))
	for _, item := range items {
		if item.Status == nil || len(item.Status.Raw) == 0 {
			continue
		}
		m := map[string]any{}
		if err := json.Unmarshal(item.Status.Raw, &m); err != nil {
			return nil, err
		}
		members = append(members, memberStatus{cluster: item.ClusterName, status: m})
	}
	return agg(template, members, len(members) == len(items))
}

// sumReplicas adds up the replica counters. The template's generation
// counts as observed only when every member reported, runs the latest
// template and has itself observed its own latest spec (Karmada marks it
// observed at once, which tells GitOps tools a rollout is done before it
// started).
func sumReplicas(template *unstructured.Unstructured, members []memberStatus, reported bool) (map[string]any, error) {
	kind := template.GroupVersionKind().GroupKind().String()
	out := templateStatus(template)
	for _, f := range summedFields[kind] {
		var sum int64
		for _, m := range members {
			sum += num(m.status, f)
		}
		out[f] = sum
	}
	observed := reported
	for _, m := range members {
		if num(m.status, "observedGeneration") < num(m.status, "generation") ||
			str(m.status, "resourceTemplateGeneration") != strconv.FormatInt(template.GetGeneration(), 10) {
			observed = false
		}
	}
	if observed {
		out["observedGeneration"] = template.GetGeneration()
	}
	return out, nil
}

func templateStatus(template *unstructured.Unstructured) map[string]any {
	out, _, _ := unstructured.NestedMap(template.Object, "status")
	if out == nil {
		out = map[string]any{}
	}
	return out
}

// decode reads a member status (or a template's) into a typed one.
func decode(m map[string]any, into any) error {
	return runtime.DefaultUnstructuredConverter.FromUnstructured(m, into)
}

func encode(status any) (map[string]any, error) {
	return runtime.DefaultUnstructuredConverter.ToUnstructured(status)
}

// aggregateJob sums the pod counters; the Job failed if it failed in any
// member (the condition names them) and completed once it completed in
// all; it started with the first member and completed with the last. A
// finished template is left as it is, as Karmada does.
func aggregateJob(template *unstructured.Unstructured, members []memberStatus, reported bool) (map[string]any, error) {
	var old batchv1.JobStatus
	if err := decode(templateStatus(template), &old); err != nil {
		return nil, err
	}
	if jobFinished(&old) != "" {
		return nil, nil
	}
	out := batchv1.JobStatus{}
	var failed []string
	completed, finished := 0, 0
	for _, m := range members {
		var st batchv1.JobStatus
		if err := decode(m.status, &st); err != nil {
			return nil, err
		}
		out.Active += st.Active
		out.Succeeded += st.Succeeded
		out.Failed += st.Failed
		if st.Ready != nil {
			out.Ready = ptrSum(out.Ready, *st.Ready)
		}
		switch jobFinished(&st) {
		case batchv1.JobComplete:
			completed++
		case batchv1.JobFailed:
			failed = append(failed, m.cluster)
		}
		if st.StartTime != nil && (out.StartTime == nil || st.StartTime.Before(out.StartTime)) {
			out.StartTime = st.StartTime
		}
		if st.CompletionTime != nil {
			finished++
			if out.CompletionTime == nil || out.CompletionTime.Before(st.CompletionTime) {
				out.CompletionTime = st.CompletionTime
			}
		}
	}
	now := metav1.Now()
	switch {
	case len(failed) > 0:
		// The API server asks a failed Job to say why first.
		for _, t := range []batchv1.JobConditionType{batchv1.JobFailureTarget, batchv1.JobFailed} {
			out.Conditions = append(out.Conditions, batchv1.JobCondition{Type: t, Status: corev1.ConditionTrue, LastProbeTime: now, LastTransitionTime: now,
				Reason: "JobFailed", Message: "Job executed failed in member clusters " + strings.Join(failed, ",")})
		}
		out.CompletionTime = nil
	case reported && len(members) > 0 && completed == len(members):
		for _, t := range []batchv1.JobConditionType{batchv1.JobSuccessCriteriaMet, batchv1.JobComplete} {
			out.Conditions = append(out.Conditions, batchv1.JobCondition{Type: t, Status: corev1.ConditionTrue, LastProbeTime: now, LastTransitionTime: now,
				Reason: "Completed", Message: "Job completed"})
		}
	default:
		out.CompletionTime = nil
	}
	if !reported || finished != len(members) {
		out.CompletionTime = nil
	}
	if sameJob(&old, &out) {
		return templateStatus(template), nil
	}
	return encode(&out)
}

func ptrSum(p *int32, v int32) *int32 {
	s := v
	if p != nil {
		s += *p
	}
	return &s
}

// sameJob compares two Job statuses but for their conditions' times, so
// that a pass with nothing new writes nothing.
func sameJob(a, b *batchv1.JobStatus) bool {
	strip := func(s *batchv1.JobStatus) batchv1.JobStatus {
		c := *s.DeepCopy()
		for i := range c.Conditions {
			c.Conditions[i].LastProbeTime, c.Conditions[i].LastTransitionTime = metav1.Time{}, metav1.Time{}
		}
		return c
	}
	return apiequality.Semantic.DeepEqual(strip(a), strip(b))
}

func jobFinished(s *batchv1.JobStatus) batchv1.JobConditionType {
	for _, c := range s.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.Type
		}
	}
	return ""
}

// aggregateCronJob lists every member's active Jobs and keeps the latest
// schedule and success times.
func aggregateCronJob(template *unstructured.Unstructured, members []memberStatus, _ bool) (map[string]any, error) {
	out := batchv1.CronJobStatus{}
	for _, m := range members {
		var st batchv1.CronJobStatus
		if err := decode(m.status, &st); err != nil {
			return nil, err
		}
		out.Active = append(out.Active, st.Active...)
		if st.LastScheduleTime != nil && (out.LastScheduleTime == nil || out.LastScheduleTime.Before(st.LastScheduleTime)) {
			out.LastScheduleTime = st.LastScheduleTime
		}
		if st.LastSuccessfulTime != nil && (out.LastSuccessfulTime == nil || out.LastSuccessfulTime.Before(st.LastSuccessfulTime)) {
			out.LastSuccessfulTime = st.LastSuccessfulTime
		}
	}
	return encode(&out)
}

// loadBalancers lists every member's load-balancer ingress points; one
// with no hostname gets its cluster's name, so a reader knows where it
// is. A Service that is not a LoadBalancer is left alone.
func loadBalancers(template *unstructured.Unstructured, members []memberStatus, _ bool) (map[string]any, error) {
	if template.GetKind() == "Service" {
		if t, _, _ := unstructured.NestedString(template.Object, "spec", "type"); t != string(corev1.ServiceTypeLoadBalancer) {
			return nil, nil
		}
	}
	var ingress []any
	for _, m := range members {
		lb, _, _ := unstructured.NestedSlice(m.status, "loadBalancer", "ingress")
		for _, i := range lb {
			if point, ok := i.(map[string]any); ok {
				if h, _ := point["hostname"].(string); h == "" {
					point["hostname"] = m.cluster
				}
			}
			ingress = append(ingress, i)
		}
	}
	out := templateStatus(template)
	out["loadBalancer"] = map[string]any{}
	if len(ingress) > 0 {
		out["loadBalancer"] = map[string]any{"ingress": ingress}
	}
	return out, nil
}

// aggregatePod gives the worst phase (Failed, Pending, Running,
// Succeeded; a member not reported counts as Pending) and every member's
// container states.
func aggregatePod(template *unstructured.Unstructured, members []memberStatus, reported bool) (map[string]any, error) {
	if len(members) == 0 && reported {
		return nil, nil
	}
	phases := map[string]bool{}
	if !reported {
		phases[string(corev1.PodPending)] = true
	}
	out := corev1.PodStatus{}
	for _, m := range members {
		var st corev1.PodStatus
		if err := decode(m.status, &st); err != nil {
			return nil, err
		}
		phases[string(st.Phase)] = true
		out.ContainerStatuses = append(out.ContainerStatuses, containerStates(st.ContainerStatuses)...)
		out.InitContainerStatuses = append(out.InitContainerStatuses, containerStates(st.InitContainerStatuses)...)
	}
	out.Phase = corev1.PodPhase(worst(phases, "Failed", "Pending", "Running", "Succeeded"))
	// Several members run the same containers: the API server wants each
	// name once, so the first member's state of each is kept.
	out.ContainerStatuses = firstOfEachName(out.ContainerStatuses)
	out.InitContainerStatuses = firstOfEachName(out.InitContainerStatuses)
	return encode(&out)
}

func containerStates(in []corev1.ContainerStatus) []corev1.ContainerStatus {
	out := make([]corev1.ContainerStatus, 0, len(in))
	for _, c := range in {
		out = append(out, corev1.ContainerStatus{Name: c.Name, Image: c.Image, ImageID: c.ImageID, Ready: c.Ready, State: c.State})
	}
	return out
}

func firstOfEachName(in []corev1.ContainerStatus) []corev1.ContainerStatus {
	seen := map[string]bool{}
	var out []corev1.ContainerStatus
	for _, c := range in {
		if !seen[c.Name] {
			seen[c.Name] = true
			out = append(out, c)
		}
	}
	return out
}

// worst is the first of order found in phases.
func worst(phases map[string]bool, order ...string) string {
	for _, p := range order {
		if phases[p] {
			return p
		}
	}
	return ""
}

// worstPhase aggregates a phase alone: the first of order that a member
// is in (a member not reported yet counts as order[1], pending).
func worstPhase(order ...string) aggregator {
	return func(template *unstructured.Unstructured, members []memberStatus, reported bool) (map[string]any, error) {
		phases := map[string]bool{}
		if !reported {
			phases[order[1]] = true
		}
		for _, m := range members {
			phases[str(m.status, "phase")] = true
		}
		p := worst(phases, order...)
		if p == "" {
			return nil, nil
		}
		out := templateStatus(template)
		out["phase"] = p
		return out, nil
	}
}

// aggregateClaim: a claim is Lost if lost anywhere, else Pending if
// pending anywhere, else Bound.
func aggregateClaim(template *unstructured.Unstructured, members []memberStatus, _ bool) (map[string]any, error) {
	phase := corev1.ClaimBound
	for _, m := range members {
		switch p := corev1.PersistentVolumeClaimPhase(str(m.status, "phase")); p {
		case corev1.ClaimLost:
			phase = corev1.ClaimLost
		case corev1.ClaimBound:
		default:
			if phase != corev1.ClaimLost {
				phase = p
			}
		}
	}
	if len(members) == 0 {
		return nil, nil
	}
	out := templateStatus(template)
	out["phase"] = string(phase)
	return out, nil
}

// aggregateDisruptionBudget sums the budget's counts; disrupted pods are
// named "cluster/pod".
func aggregateDisruptionBudget(template *unstructured.Unstructured, members []memberStatus, _ bool) (map[string]any, error) {
	var old policyv1.PodDisruptionBudgetStatus
	if err := decode(templateStatus(template), &old); err != nil {
		return nil, err
	}
	out := policyv1.PodDisruptionBudgetStatus{ObservedGeneration: template.GetGeneration(), Conditions: old.Conditions}
	for _, m := range members {
		var st policyv1.PodDisruptionBudgetStatus
		if err := decode(m.status, &st); err != nil {
			return nil, err
		}
		out.CurrentHealthy += st.CurrentHealthy
		out.DesiredHealthy += st.DesiredHealthy
		out.ExpectedPods += st.ExpectedPods
		out.DisruptionsAllowed += st.DisruptionsAllowed
		for pod, at := range st.DisruptedPods {
			if out.DisruptedPods == nil {
				out.DisruptedPods = map[string]metav1.Time{}
			}
			out.DisruptedPods[m.cluster+"/"+pod] = at
		}
	}
	return encode(&out)
}
