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

// Package framework holds what the end-to-end tests share: waiting on
// state, test namespaces, YAML decoding, the workload and policy they
// propagate, and the checks on what the members and the control plane
// show (Env). The tests on local clusters (test/e2e) and on kind clusters
// (test/kinde2e) use it.
package framework

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/wait"
)

// Eventually polls cond every 200 ms until it holds, failing with its
// last message when timeout passes.
func Eventually(t *testing.T, timeout time.Duration, cond func(ctx context.Context) (bool, string)) {
	t.Helper()
	EventuallyEvery(t, 200*time.Millisecond, timeout, cond)
}

// EventuallyEvery is Eventually with another interval, for checks that
// cost something each time (a pod run in a member).
func EventuallyEvery(t *testing.T, every, timeout time.Duration, cond func(ctx context.Context) (bool, string)) {
	t.Helper()
	var last string
	err := wait.PollUntilContextTimeout(t.Context(), every, timeout, true, func(ctx context.Context) (bool, error) {
		ok, msg := cond(ctx)
		if ctx.Err() == nil { // a check cut short by the deadline says nothing
			last = msg
		}
		return ok, nil
	})
	require.NoError(t, err, "still not true after %s: %s", timeout, last)
}
