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

package e2e

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/kubectl-karmada/kubectl-karmada/controllers/manager"
)

// TestControllersServeHealth runs the controllers process against the
// control plane, as "karmada-controllers --kubeconfig" does, and checks it
// reports healthy and ready, and stops cleanly.
func TestControllersServeHealth(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	opts := manager.DefaultOptions()
	opts.Kubeconfig = controlPlane.Kubeconfig
	opts.MetricsAddr = freeAddr(t)
	opts.ProbeAddr = freeAddr(t)
	done := make(chan error, 1)
	go func() { done <- manager.Run(ctx, opts) }()

	for _, path := range []string{"/healthz", "/readyz"} {
		err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+opts.ProbeAddr+path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return false, nil //nolint:nilerr // not listening yet
			}
			_ = resp.Body.Close()
			return resp.StatusCode == http.StatusOK, nil
		})
		require.NoError(t, err, path)
	}
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("the controllers did not stop")
	}
}

// freeAddr returns a loopback address with a port nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}
