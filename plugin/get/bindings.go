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
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/duration"
	"sigs.k8s.io/controller-runtime/pkg/client"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
)

type bindingsView struct{}

func (bindingsView) list(ctx context.Context, c client.Client, namespace, name string) (runtime.Object, error) {
	list := &workv1alpha2.ResourceBindingList{}
	if name != "" {
		one := &workv1alpha2.ResourceBinding{}
		if err := c.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, one); err != nil {
			return nil, err
		}
		list.Items = append(list.Items, *one)
	} else if err := c.List(ctx, list, client.InNamespace(namespace)); err != nil {
		return nil, err
	}
	list.APIVersion, list.Kind = "v1", "List"
	for i := range list.Items {
		list.Items[i].APIVersion, list.Items[i].Kind = workv1alpha2.GroupVersion.String(), "ResourceBinding"
	}
	return list, nil
}

func (bindingsView) table(w io.Writer, obj runtime.Object, wide, withNamespace bool) error {
	list := obj.(*workv1alpha2.ResourceBindingList)
	head := []string{"NAME", "RESOURCE", "POLICY", "DESIRED", "CLUSTERS", "SCHEDULED", "APPLIED"}
	if withNamespace {
		head = append([]string{"NAMESPACE"}, head...)
	}
	if wide {
		head = append(head, "READY", "MESSAGE")
	}
	row(w, append(head, "AGE")...)
	for i := range list.Items {
		b := &list.Items[i]
		clusters := make([]string, 0, len(b.Spec.Clusters))
		for _, t := range b.Spec.Clusters {
			clusters = append(clusters, fmt.Sprintf("%s:%d", t.Name, t.Replicas))
		}
		cells := []string{b.Name, b.Spec.Resource.Kind + "/" + b.Spec.Resource.Name, policyOf(b),
			fmt.Sprint(b.Spec.Replicas), orDash(strings.Join(clusters, ",")),
			conditionStatus(b.Status, workv1alpha2.Scheduled), conditionStatus(b.Status, workv1alpha2.FullyApplied)}
		if withNamespace {
			cells = append([]string{b.Namespace}, cells...)
		}
		if wide {
			cells = append(cells, readyPerCluster(b), problem(b.Status))
		}
		row(w, append(cells, duration.HumanDuration(time.Since(b.CreationTimestamp.Time)))...)
	}
	return nil
}

// policyOf names the binding's policy from the annotations the detector
// sets: "NAME" for a PropagationPolicy, "cpp/NAME" for a cluster one.
func policyOf(b *workv1alpha2.ResourceBinding) string {
	if name := b.Annotations[names.PropagationPolicyNameAnnotation]; name != "" {
		return name
	}
	if name := b.Annotations[names.ClusterPropagationPolicyAnnotation]; name != "" {
		return "cpp/" + name
	}
	return "-"
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

// readyPerCluster reads readyReplicas out of each member's status.
func readyPerCluster(b *workv1alpha2.ResourceBinding) string {
	parts := make([]string, 0, len(b.Status.AggregatedStatus))
	for _, item := range b.Status.AggregatedStatus {
		ready := "?"
		if item.Status != nil {
			var s struct {
				ReadyReplicas *int64 `json:"readyReplicas"`
			}
			if json.Unmarshal(item.Status.Raw, &s) == nil && s.ReadyReplicas != nil {
				ready = fmt.Sprint(*s.ReadyReplicas)
			}
		}
		parts = append(parts, item.ClusterName+":"+ready)
	}
	return orDash(strings.Join(parts, ","))
}
