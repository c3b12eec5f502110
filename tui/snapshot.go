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

// Package tui is "kubectl karmada tui": a live terminal view of the
// clusters, where each workload's replicas are scheduled and running, the
// services shared across the clusterset, and recent events. Data comes
// from informers on the control plane (Clusters, bindings, events) as
// whole snapshots; the model only renders them and never calls the API
// from View or blocks in Update. Actions (cordon, scale) run as commands.
package tui

import (
	"context"
	"time"

	eventsv1 "k8s.io/api/events/v1"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/servicesummary"
)

// Snapshot is everything the views show, read at one moment.
type Snapshot struct {
	Clusters []clusterv1alpha1.Cluster
	Bindings []workv1alpha2.Binding
	// Events are the newest first, at most maxEvents.
	Events   []eventsv1.Event
	Services []servicesummary.Service
	// ServicesErr says which members could not be read for services.
	ServicesErr string
	// Connected is false while the control plane does not answer; Err
	// says why.
	Connected bool
	Err       string
	// At is when the snapshot was taken.
	At time.Time
}

// maxEvents bounds the events a snapshot holds.
const maxEvents = 200

// SnapshotMsg carries a new snapshot into the model.
type SnapshotMsg Snapshot

// ConnectionMsg says whether the control plane answers.
type ConnectionMsg struct {
	Connected bool
	Err       string
}

// Actions change the control plane on the user's request.
type Actions interface {
	// Cordon sets (or, with on false, removes) the unschedulable taint.
	Cordon(ctx context.Context, cluster string, on bool) error
	// Scale sets the replicas of a binding's template.
	Scale(ctx context.Context, template workv1alpha2.ObjectReference, replicas int32) error
}

// actionDoneMsg reports how an action went.
type actionDoneMsg struct {
	text string
	err  error
}
