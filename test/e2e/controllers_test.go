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
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/test/e2e/framework"
	"github.com/kubectl-karmada/kubectl-karmada/test/localcluster"
)

// TestControllersServeHealth checks the controllers process, run as
// "karmada-controllers --kubeconfig" does, reports healthy and ready.
func TestControllersServeHealth(t *testing.T) {
	for _, path := range []string{"/healthz", "/readyz"} {
		err := wait.PollUntilContextTimeout(t.Context(), 100*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+controllersProbeAddr+path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return false, nil //nolint:nilerr // not listening yet
			}
			_ = resp.Body.Close()
			return resp.StatusCode == http.StatusOK, nil
		})
		require.NoError(t, err, path)
	}
}

// TestLeaseReleasedOnTerminate starts a second, leader-electing controllers
// process, as a rolling restart's new replica would find, and stops it
// with SIGTERM: it must hand the lease back at once (holder emptied), so
// the next replica need not wait for the lease to run out.
func TestLeaseReleasedOnTerminate(t *testing.T) {
	addr, err := freePort()
	require.NoError(t, err)
	// Its own lease namespace keeps it from waiting on anything else.
	ns := framework.TestNamespace(t, cp, "lease-test")
	c, err := localcluster.StartControllers(controllersBinary, filepath.Join(env.WorkDir, "controllers.kubeconfig"),
		filepath.Join(env.WorkDir, "controllers-lease.log"), addr, "--leader-elect=true", "--leader-election-namespace", ns)
	require.NoError(t, err)
	t.Cleanup(c.Kill)

	lease := &coordinationv1.Lease{}
	key := client.ObjectKey{Namespace: ns, Name: "karmada-controllers"}
	framework.Eventually(t, 30*time.Second, func(ctx context.Context) (bool, string) {
		if err := cp.Get(ctx, key, lease); err != nil {
			return false, err.Error()
		}
		return ptr.Deref(lease.Spec.HolderIdentity, "") != "", "no holder yet"
	})
	require.NoError(t, c.Terminate())
	require.NoError(t, cp.Get(t.Context(), key, lease))
	assert.Empty(t, ptr.Deref(lease.Spec.HolderIdentity, ""), "the lease is handed back on SIGTERM")
}
