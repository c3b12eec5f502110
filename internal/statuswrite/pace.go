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

// Package statuswrite is the one policy for how the controllers write the
// status of Works, bindings and templates: progress is paced (Pacer), a
// cache that has not caught up with our own write does not make us write
// again (Versions), and Status puts both together around one write.
//
// Pacing: members start pods over many seconds and each step changes a
// counter; writing every step would multiply the control plane's writes
// for states nobody acts on. The settled state and failures are written
// at once by the caller; progress is written at most once per interval per
// object, and, under load, within a budget of writes per second shared by
// every object, so that its cost stays flat however many objects start.
package statuswrite

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacer remembers, per object still progressing, when its status was last
// written (or when its progress was first seen). It is safe for concurrent
// use; the zero value needs Interval set before use.
type Pacer[K comparable] struct {
	// Interval is the least time between two progress writes of one
	// object.
	Interval time.Duration
	// Budget, when set, bounds the progress writes per second of every
	// object together (one Budget may be shared by several Pacers). An
	// object refused by it tries again an Interval later.
	Budget *rate.Limiter
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	since map[K]time.Time
}

func (p *Pacer[K]) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Progress returns how long to wait before the progress of key is worth a
// write: zero once Interval has passed since its last write (or since its
// progress was first seen, when it was never written) and the budget has
// room. A zero return takes from the budget: the caller should write.
func (p *Pacer[K]) Progress(key K) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.since == nil {
		p.since = map[K]time.Time{}
	}
	last, ok := p.since[key]
	if !ok {
		p.since[key] = now
		return p.Interval
	}
	if wait := p.Interval - now.Sub(last); wait > 0 {
		return wait
	}
	if p.Budget != nil && !p.Budget.AllowN(now, 1) {
		p.since[key] = now
		return max(p.Interval, time.Second)
	}
	return 0
}

// Write writes the changed status of key when it is news (written at
// once, outside the budget) or when its progress is due, and records the
// write: a settled status forgets key, progress restarts its interval.
// When progress is not due yet, it returns how long to wait and does not
// write.
func (p *Pacer[K]) Write(key K, news, settled bool, write func() error) (time.Duration, error) {
	if !news {
		if wait := p.Progress(key); wait > 0 {
			return wait, nil
		}
	}
	if err := write(); err != nil {
		return 0, err
	}
	if settled {
		p.Done(key)
	} else {
		p.Wrote(key)
	}
	return 0, nil
}

// Wrote records that the status of key, still progressing, was written.
func (p *Pacer[K]) Wrote(key K) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.since == nil {
		p.since = map[K]time.Time{}
	}
	p.since[key] = p.now()
}

// Done forgets key: its status settled, or the object went away.
func (p *Pacer[K]) Done(key K) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.since, key)
}
