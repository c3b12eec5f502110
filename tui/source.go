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

package tui

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
	"github.com/kubectl-karmada/kubectl-karmada/internal/servicesummary"
	"github.com/kubectl-karmada/kubectl-karmada/internal/taints"
)

// Source feeds snapshots of the control plane to the TUI: informers on
// Clusters, bindings and events mark the data changed, and at most every
// Interval a snapshot is read from their caches and sent. Services are
// read from the members every ServicesInterval (they have no object on
// the control plane). The API server's health is checked every few
// seconds, so a lost connection shows and the informers' own retries
// bring the data back.
type Source struct {
	// Config is the control plane's, for the informers and health checks;
	// Client reads it.
	Config           *rest.Config
	Client           client.Client
	Interval         time.Duration
	ServicesInterval time.Duration
}

// Run sends snapshots until ctx ends.
func (s *Source) Run(ctx context.Context, send func(tea.Msg)) error {
	c := s.Client
	informers, err := cache.New(s.Config, cache.Options{Scheme: scheme.New(), DefaultTransform: cache.TransformStripManagedFields()})
	if err != nil {
		return err
	}
	var dirty atomic.Bool
	dirty.Store(true)
	mark := toolscache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { dirty.Store(true) },
		UpdateFunc: func(any, any) { dirty.Store(true) },
		DeleteFunc: func(any) { dirty.Store(true) },
	}
	for _, obj := range []client.Object{&clusterv1alpha1.Cluster{}, &workv1alpha2.ResourceBinding{}, &workv1alpha2.ClusterResourceBinding{}, &eventsv1.Event{}} {
		inf, err := informers.GetInformer(ctx, obj, cache.BlockUntilSynced(false))
		if err != nil {
			return err
		}
		if _, err := inf.AddEventHandler(mark); err != nil {
			return err
		}
	}
	go func() { _ = informers.Start(ctx) }()

	var mu sync.Mutex
	var exported []servicesummary.Service
	var servicesErr string
	var connected atomic.Bool
	var connErr atomic.Value
	connErr.Store("")
	health := discovery.NewDiscoveryClientForConfigOrDie(rest.CopyConfig(s.Config))
	go every(ctx, 3*time.Second, func() {
		_, err := health.ServerVersion()
		was := connected.Load()
		connected.Store(err == nil)
		msg := ""
		if err != nil {
			msg = "control plane unreachable, retrying: " + err.Error()
		}
		connErr.Store(msg)
		send(ConnectionMsg{Connected: err == nil, Err: msg})
		if was != (err == nil) {
			dirty.Store(true)
		}
	})
	services := servicesummary.NewReader(c)
	go every(ctx, s.ServicesInterval, func() {
		got, err := services.Collect(ctx, "")
		mu.Lock()
		exported, servicesErr = got, ""
		if err != nil {
			servicesErr = err.Error()
		}
		mu.Unlock()
		dirty.Store(true)
	})

	tick := time.NewTicker(s.Interval)
	defer tick.Stop()
	synced := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if !synced {
			// Either the caches are synced or the next tick looks again.
			wait, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
			synced = informers.WaitForCacheSync(wait)
			cancel()
			if !synced {
				continue
			}
		}
		if !dirty.Swap(false) {
			continue
		}
		snap := Snapshot{Connected: connected.Load(), Err: connErr.Load().(string), At: time.Now()}
		var clusters clusterv1alpha1.ClusterList
		var events eventsv1.EventList
		if err := informers.List(ctx, &clusters, client.UnsafeDisableDeepCopy); err != nil {
			continue
		}
		bindings, err := workv1alpha2.ListBindings(ctx, informers, "", client.UnsafeDisableDeepCopy)
		if err != nil {
			continue
		}
		if err := informers.List(ctx, &events, client.UnsafeDisableDeepCopy); err != nil {
			continue
		}
		snap.Clusters, snap.Bindings = clusters.Items, bindings
		snap.Events = SortEvents(append([]eventsv1.Event(nil), events.Items...))
		mu.Lock()
		snap.Services, snap.ServicesErr = exported, servicesErr
		mu.Unlock()
		send(SnapshotMsg(snap))
	}
}

func every(ctx context.Context, d time.Duration, f func()) {
	f()
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}

// ClientActions performs the TUI's actions with a control-plane client.
type ClientActions struct {
	Client client.Client
}

// Cordon sets or removes the cluster.karmada.io/unschedulable taint.
func (a ClientActions) Cordon(ctx context.Context, cluster string, on bool) error {
	add, remove := []corev1.Taint{taints.Cordon}, []corev1.Taint(nil)
	if !on {
		add, remove = nil, []corev1.Taint{taints.Cordon}
	}
	_, err := taints.Set(ctx, a.Client, cluster, add, remove)
	return err
}

// Scale sets spec.replicas of the template with a merge patch.
func (a ClientActions) Scale(ctx context.Context, ref workv1alpha2.ObjectReference, replicas int32) error {
	obj := &unstructured.Unstructured{}
	obj.SetAPIVersion(ref.APIVersion)
	obj.SetKind(ref.Kind)
	obj.SetNamespace(ref.Namespace)
	obj.SetName(ref.Name)
	patch := client.RawPatch(types.MergePatchType, []byte(fmt.Sprintf(`{"spec":{"replicas":%d}}`, replicas)))
	return a.Client.Patch(ctx, obj, patch)
}
