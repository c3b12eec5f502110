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
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
)

// emptyInformer is an informer of nothing, to see it start and stop.
func emptyInformer() (cache.SharedIndexInformer, error) {
	lw := &cache.ListWatch{
		ListWithContextFunc: func(context.Context, metav1.ListOptions) (runtime.Object, error) {
			return &corev1.ConfigMapList{}, nil
		},
		WatchFuncWithContext: func(context.Context, metav1.ListOptions) (watch.Interface, error) {
			return watch.NewFake(), nil
		},
	}
	return cache.NewSharedIndexInformer(lw, &corev1.ConfigMap{}, 0, cache.Indexers{}), nil
}

func stopped(t *testing.T, i cache.SharedIndexInformer) bool {
	t.Helper()
	return assert.Eventually(t, i.IsStopped, 5*time.Second, 10*time.Millisecond)
}

// TestMemberLifecycle: one Member per set of credentials; new credentials
// stop the old Member and its informers, leaving stops the current one.
func TestMemberLifecycle(t *testing.T) {
	ctx := t.Context()
	cluster := &clusterv1alpha1.Cluster{ObjectMeta: metav1.ObjectMeta{Name: "m1"}, Spec: clusterv1alpha1.ClusterSpec{
		APIEndpoint: "https://m1.example:6443", SecretRef: &clusterv1alpha1.LocalSecretReference{Namespace: "karmada-cluster", Name: "m1"}}}
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "karmada-cluster", Name: "m1"}, Data: map[string][]byte{"token": []byte("one")}}
	c := fake.NewClientBuilder().WithScheme(scheme.New()).WithObjects(cluster, secret).Build()
	set := NewSet(c, 5, 10)

	first, err := set.Get(ctx, "m1")
	require.NoError(t, err)
	again, err := set.Get(ctx, "m1")
	require.NoError(t, err)
	assert.Same(t, first, again, "the same credentials: the same Member")
	assert.Equal(t, "one", first.Config.BearerToken)

	informer, err := first.Watch("test/configmaps", emptyInformer)
	require.NoError(t, err)
	built := 0
	same, err := first.Watch("test/configmaps", func() (cache.SharedIndexInformer, error) { built++; return emptyInformer() })
	require.NoError(t, err)
	assert.Same(t, informer, same)
	assert.Zero(t, built, "an informer is made once per Member")
	assert.Equal(t, []string{"test/configmaps"}, first.WatchIDs("test/"))

	// The token rotates.
	secret.Data["token"] = []byte("two")
	require.NoError(t, c.Update(ctx, secret))
	second, err := set.Get(ctx, "m1")
	require.NoError(t, err)
	assert.NotSame(t, first, second)
	assert.Equal(t, "two", second.Config.BearerToken)
	stopped(t, informer) // the old credentials' informers stop
	select {
	case <-first.Done():
	default:
		t.Fatal("the old Member is done")
	}
	_, err = first.Watch("test/other", emptyInformer)
	require.ErrorContains(t, err, "ask again")
	assert.Empty(t, second.WatchIDs(""), "the new Member starts with no informers")

	// Unwatch stops one informer.
	scoped, err := second.Watch("test/scoped", emptyInformer)
	require.NoError(t, err)
	second.Unwatch("test/scoped")
	stopped(t, scoped)
	_, ok := second.Watching("test/scoped")
	assert.False(t, ok)

	// The member leaves.
	kept, err := second.Watch("test/configmaps", emptyInformer)
	require.NoError(t, err)
	assert.Equal(t, []*Member{second}, set.Members())
	set.Forget("m1")
	stopped(t, kept)
	assert.Empty(t, set.Members())
}
