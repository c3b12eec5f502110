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
	"testing"

	"github.com/stretchr/testify/assert"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
)

// TestAwaitCacheWaitsForThePlacement: the next placement by capacity must
// not start from a cache that still has the binding as it was before.
func TestAwaitCacheWaitsForThePlacement(t *testing.T) {
	written := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "web-deployment", Generation: 2}}
	stale := written.DeepCopy()
	stale.Generation = 1
	reads := 0
	c := fake.NewClientBuilder().WithScheme(scheme.New()).WithObjects(stale).
		WithInterceptorFuncs(interceptor.Funcs{Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			reads++
			if err := c.Get(ctx, key, obj, opts...); err != nil {
				return err
			}
			if reads >= 3 { // the cache catches up on the third look
				obj.SetGeneration(2)
			}
			return nil
		}}).Build()
	s := &Scheduler{Client: c}
	s.awaitCache(t.Context(), client.ObjectKeyFromObject(written), written)
	assert.Equal(t, 3, reads, "waited until the cache showed generation 2")

	reads = 0
	gone := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "gone", Generation: 2}}
	s.awaitCache(t.Context(), client.ObjectKeyFromObject(gone), gone)
	assert.Equal(t, 1, reads, "a binding deleted meanwhile ends the wait")
}
