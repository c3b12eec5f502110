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
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Status is one controller's status-write policy for the objects it keys
// by K: their progress is paced and their writes remembered until the
// cache shows them. The zero value is ready once Interval (and, if wanted,
// Budget) is set.
type Status[K comparable] struct {
	Pacer[K]
	Versions[K]
}

// Write writes obj's changed status through write when it is news, or
// when its progress is due (see Pacer.Write), and remembers the version
// the write replaced so a cache that is behind does not lead to writing
// again (see Versions.Stale). When progress is not due yet it returns how
// long to wait, and writes nothing.
func (s *Status[K]) Write(key K, obj client.Object, news, settled bool, write func() error) (time.Duration, error) {
	return s.Pacer.Write(key, news, settled, func() error {
		before := obj.GetResourceVersion()
		if err := write(); err != nil {
			return err
		}
		s.Versions.Wrote(key, before, obj.GetResourceVersion())
		return nil
	})
}

// Forget drops all that is remembered of key, for an object that went
// away.
func (s *Status[K]) Forget(key K) {
	s.Done(key)
	s.Versions.Forget(key)
}
