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

package member

import (
	"sort"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Member is one joined cluster as the controllers reach it: clients made
// from its current credentials, and the informers controllers run in it.
// A Member lives as long as its credentials: when they change, or the
// member leaves, the Set stops it (every informer with it) and, for a
// member still joined, makes a new one on next use.
type Member struct {
	// Name of the Cluster.
	Name string
	// Config reaches the member's API server with the join token.
	Config *rest.Config
	// Kube, Dynamic and Mapper are built from Config.
	Kube    kubernetes.Interface
	Dynamic dynamic.Interface
	Mapper  meta.ResettableRESTMapper
	// Client is a controller-runtime client (typed and unstructured) with
	// the shared scheme and the Mapper above.
	Client client.Client

	// key is what the clients were built from; a change means a new Member.
	key string

	mu      sync.Mutex
	stopped bool
	done    chan struct{}
	watches map[string]*running
}

// running is one informer a controller runs in the member.
type running struct {
	informer cache.SharedIndexInformer
	stop     chan struct{}
}

func newMember(name, key string) *Member {
	return &Member{Name: name, key: key, done: make(chan struct{}), watches: map[string]*running{}}
}

// Done is closed when this Member stops: the cluster left, or its
// credentials changed (the Set then holds a new Member for it).
func (m *Member) Done() <-chan struct{} { return m.done }

// Watch returns the informer a controller runs in the member under id
// (say "execution/apps/v1/deployments"), making it with build and
// starting it the first time. build adds the controller's handlers and
// transforms; it runs once per Member, so a new Member after new
// credentials makes the informer again with the new clients. The informer
// runs until Unwatch(id) or until the Member stops.
func (m *Member) Watch(id string, build func() (cache.SharedIndexInformer, error)) (cache.SharedIndexInformer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.watches[id]; ok {
		return w.informer, nil
	}
	if m.stopped {
		return nil, errStopped{m.Name}
	}
	informer, err := build()
	if err != nil {
		return nil, err
	}
	w := &running{informer: informer, stop: make(chan struct{})}
	m.watches[id] = w
	go informer.Run(w.stop)
	return informer, nil
}

// Watching returns the informer running under id, if any.
func (m *Member) Watching(id string) (cache.SharedIndexInformer, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w, ok := m.watches[id]
	if !ok {
		return nil, false
	}
	return w.informer, true
}

// WatchIDs lists the ids of the running informers that start with prefix,
// sorted.
func (m *Member) WatchIDs(prefix string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []string
	for id := range m.watches {
		if strings.HasPrefix(id, prefix) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Unwatch stops the informer running under id.
func (m *Member) Unwatch(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.watches[id]; ok {
		close(w.stop)
		delete(m.watches, id)
	}
}

// stop stops every informer and closes Done.
func (m *Member) stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped {
		return
	}
	m.stopped = true
	for id, w := range m.watches {
		close(w.stop)
		delete(m.watches, id)
	}
	close(m.done)
}

// errStopped is a Watch on a Member that stopped: the caller held it
// across new credentials or a leave, and should ask the Set again.
type errStopped struct{ name string }

func (e errStopped) Error() string {
	return "the clients of cluster " + e.name + " were replaced (new credentials, or it left): ask again"
}
