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

package get

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/duration"
	"sigs.k8s.io/controller-runtime/pkg/client"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/workload"
)

type bindingsView struct{}

// list reads ResourceBindings of the namespace; with every namespace
// (-A) it adds the ClusterResourceBindings, which belong to none. A name
// that no ResourceBinding has is looked up among ClusterResourceBindings.
func (bindingsView) list(ctx context.Context, c client.Client, namespace, name string) (runtime.Object, error) {
	out := &corev1.List{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "List"}}
	add := func(b workv1alpha2.Binding, kind string) {
		b.GetObjectKind().SetGroupVersionKind(workv1alpha2.GroupVersion.WithKind(kind))
		out.Items = append(out.Items, runtime.RawExtension{Object: b})
	}
	if name != "" {
		rb := &workv1alpha2.ResourceBinding{}
		err := c.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, rb)
		if err == nil {
			add(rb, "ResourceBinding")
			return out, nil
		}
		crb := &workv1alpha2.ClusterResourceBinding{}
		if c.Get(ctx, client.ObjectKey{Name: name}, crb) == nil {
			add(crb, "ClusterResourceBinding")
			return out, nil
		}
		return nil, err
	}
	all, err := workv1alpha2.ListBindings(ctx, c, namespace)
	if err != nil {
		return nil, err
	}
	for _, b := range all {
		kind := "ResourceBinding"
		if b.GetNamespace() == "" {
			kind = "ClusterResourceBinding"
		}
		add(b, kind)
	}
	return out, nil
}

func (bindingsView) table(w io.Writer, obj runtime.Object, wide, withNamespace bool) error {
	list := obj.(*corev1.List)
	head := []string{"NAME", "RESOURCE", "POLICY", "DESIRED", "CLUSTERS", "SCHEDULED", "APPLIED"}
	if withNamespace {
		head = append([]string{"NAMESPACE"}, head...)
	}
	if wide {
		head = append(head, "READY", "NOT CHOSEN", "MESSAGE")
	}
	row(w, append(head, "AGE")...)
	for _, item := range list.Items {
		b := item.Object.(workv1alpha2.Binding)
		spec, status := b.BindingSpec(), *b.BindingStatus()
		clusters := make([]string, 0, len(spec.Clusters))
		for _, t := range spec.Clusters {
			clusters = append(clusters, fmt.Sprintf("%s:%d", t.Name, t.Replicas))
		}
		cells := []string{b.GetName(), spec.Resource.Kind + "/" + spec.Resource.Name, orDash(names.PolicyOf(b.GetAnnotations())),
			fmt.Sprint(spec.Replicas), orDash(strings.Join(clusters, ",")),
			conditionStatus(status, workv1alpha2.Scheduled), conditionStatus(status, workv1alpha2.FullyApplied)}
		if withNamespace {
			cells = append([]string{orDash(b.GetNamespace())}, cells...)
		}
		if wide {
			cells = append(cells, readyPerCluster(status), notChosen(status), problem(status))
		}
		row(w, append(cells, duration.HumanDuration(time.Since(b.GetCreationTimestamp().Time)))...)
	}
	return nil
}

func conditionStatus(s workv1alpha2.ResourceBindingStatus, t string) string {
	if c := meta.FindStatusCondition(s.Conditions, t); c != nil {
		return string(c.Status)
	}
	return "-"
}

// problem is the message of the first condition that is not True.
func problem(s workv1alpha2.ResourceBindingStatus) string {
	for _, c := range s.Conditions {
		if c.Status != "True" {
			return c.Message
		}
	}
	return "-"
}

// notChosen lists the clusters a filter left out, with the filter, from
// the scheduler's decisions: "member3(TaintToleration)".
func notChosen(s workv1alpha2.ResourceBindingStatus) string {
	var parts []string
	for _, d := range s.SchedulingDecisions {
		if d.Filter != "" {
			parts = append(parts, d.Cluster+"("+d.Filter+")")
		}
	}
	if s.OmittedSchedulingDecisions > 0 {
		parts = append(parts, fmt.Sprintf("+%d more", s.OmittedSchedulingDecisions))
	}
	return orDash(strings.Join(parts, ","))
}

// readyPerCluster reads readyReplicas out of each member's status.
func readyPerCluster(s workv1alpha2.ResourceBindingStatus) string {
	parts := make([]string, 0, len(s.AggregatedStatus))
	for _, item := range s.AggregatedStatus {
		ready := "?"
		if n, ok := workload.ReportedCount(item.Status, "readyReplicas"); ok {
			ready = fmt.Sprint(n)
		}
		parts = append(parts, item.ClusterName+":"+ready)
	}
	return orDash(strings.Join(parts, ","))
}
