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
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/member"
)

// quotasID names the ResourceQuota watch the scheduler runs in each member.
const quotasID = "scheduler/resourcequotas"

// firstListWait bounds how long a placement waits for a member's quotas
// the first time; a member that does not answer by then is placed as if
// it had none, and its quotas count once they arrive (a change wakes the
// placements waiting for capacity).
const firstListWait = 2 * time.Second

// MemberQuotas reads the members' ResourceQuotas for placements by
// capacity, as Karmada's scheduler-estimator does, from one watch per
// member.
type MemberQuotas struct {
	Client  client.Reader
	Members *member.Set
	// changed receives a Cluster named after the member whose quotas
	// changed.
	changed chan event.GenericEvent
}

// NewMemberQuotas returns a MemberQuotas reading members through set.
func NewMemberQuotas(c client.Reader, set *member.Set) *MemberQuotas {
	return &MemberQuotas{Client: c, Members: set, changed: make(chan event.GenericEvent, 64)}
}

// Quotas lists the ResourceQuotas of namespace in cluster; nil, not an
// error, when the member cannot say yet.
func (q *MemberQuotas) Quotas(ctx context.Context, cluster, namespace string) ([]corev1.ResourceQuota, error) {
	c := &clusterv1alpha1.Cluster{}
	if err := q.Client.Get(ctx, client.ObjectKey{Name: cluster}, c); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	m, err := q.Members.For(ctx, c)
	if err != nil {
		return nil, nil //nolint:nilerr // no credentials yet: placed as without quotas
	}
	informer, err := m.Watch(quotasID, func() (cache.SharedIndexInformer, error) {
		informer := informers.NewSharedInformerFactory(m.Kube, 0).Core().V1().ResourceQuotas().Informer()
		wake := func(any) {
			select {
			case q.changed <- event.GenericEvent{Object: &clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: cluster}}}:
			default: // a wake-up is already on its way
			}
		}
		_, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: wake, UpdateFunc: func(_, o any) { wake(o) }, DeleteFunc: wake})
		return informer, err
	})
	if err != nil {
		return nil, nil //nolint:nilerr // the member is stopping: placed as without quotas
	}
	if !informer.HasSynced() {
		wait, cancel := context.WithTimeout(ctx, firstListWait)
		defer cancel()
		if !cache.WaitForCacheSync(wait.Done(), informer.HasSynced) {
			return nil, nil
		}
	}
	objs, err := informer.GetIndexer().ByIndex(cache.NamespaceIndex, namespace)
	if err != nil {
		return nil, err
	}
	out := make([]corev1.ResourceQuota, 0, len(objs))
	for _, o := range objs {
		if rq, ok := o.(*corev1.ResourceQuota); ok {
			out = append(out, *rq)
		}
	}
	return out, nil
}
