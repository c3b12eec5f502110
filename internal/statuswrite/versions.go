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

package statuswrite

import (
	"sync"
	"time"
)

// Versions exists for controllers that read from informer caches. A cache
// learns of a write a moment after it is made; a controller woken in that
// moment sees the old object and would write again, only to be refused
// for a stale resourceVersion (or, for a create, because the object
// exists). Each of those refused writes still costs the API server a
// request.

// LookAgain is how long a controller that found its cache behind its own
// write waits before it looks again. A cache usually catches up within a
// few milliseconds; the wait is on the path of every settled status (a
// Work, then its binding and template), so it is kept short.
const LookAgain = 50 * time.Millisecond

// trustFor bounds how long a write is expected to reach the cache. Past
// it, something else happened (the object was deleted before the cache
// saw it, say), and the cache is believed again.
const trustFor = 30 * time.Second

// Versions remembers, per object, the resourceVersion a write of ours
// replaced ("" for a create), until the cache shows the object at another
// version. The zero value is ready to use.
type Versions[K comparable] struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	replaced sync.Map // K -> version
}

type version struct {
	rv string
	at time.Time
}

func (v *Versions[K]) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// Wrote records that a write of ours turned the object's version before
// ("" when it created the object) into after. A write that changed
// nothing (after == before) is not recorded: no newer version will come.
func (v *Versions[K]) Wrote(key K, before, after string) {
	if before == after {
		return
	}
	v.replaced.Store(key, version{rv: before, at: v.now()})
}

// Stale reports whether rv, the version read from a cache ("" when the
// cache has no such object), is one that a write of ours replaced: the
// cache has not caught up yet, and whatever is computed from it would be
// refused. Any other version means the cache caught up, and key is
// forgotten. A caller that skips its write because of this must come back
// later, as the cache's event may already have passed.
func (v *Versions[K]) Stale(key K, rv string) bool {
	got, ok := v.replaced.Load(key)
	if !ok {
		return false
	}
	w := got.(version)
	if w.rv == rv && v.now().Sub(w.at) < trustFor {
		return true
	}
	v.replaced.CompareAndDelete(key, got)
	return false
}

// Forget drops key, for an object that went away.
func (v *Versions[K]) Forget(key K) {
	v.replaced.Delete(key)
}
