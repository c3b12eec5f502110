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

package get

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestBindingColumns(t *testing.T) {
	status := workv1alpha2.ResourceBindingStatus{
		Conditions: []metav1.Condition{
			{Type: workv1alpha2.Scheduled, Status: metav1.ConditionTrue, Message: "binding has been scheduled"},
			{Type: workv1alpha2.FullyApplied, Status: metav1.ConditionFalse, Message: "m2: quota exceeded"},
		},
		SchedulingDecisions: []workv1alpha2.ClusterDecision{
			{Cluster: "m1", Selected: true, Replicas: 2},
			{Cluster: "m3", Filter: "TaintToleration", Reason: "not tolerated"},
			{Cluster: "m4", Filter: "ClusterAffinity", Reason: "not named"},
		},
		OmittedSchedulingDecisions: 7,
		AggregatedStatus: []workv1alpha2.AggregatedStatusItem{
			{ClusterName: "m1", Status: &runtime.RawExtension{Raw: []byte(`{"readyReplicas":2}`)}},
			{ClusterName: "m2"},
		},
	}
	assert.Equal(t, "True", conditionStatus(status, workv1alpha2.Scheduled))
	assert.Equal(t, "-", conditionStatus(status, "Other"))
	assert.Equal(t, "m2: quota exceeded", problem(status), "the first condition that is not True")
	assert.Equal(t, "m3(TaintToleration),m4(ClusterAffinity),+7 more", notChosen(status))
	assert.Equal(t, "m1:2,m2:?", readyPerCluster(status), "a member that reported nothing yet")

	var empty workv1alpha2.ResourceBindingStatus
	assert.Equal(t, "-", problem(empty))
	assert.Equal(t, "-", notChosen(empty))
	assert.Equal(t, "-", readyPerCluster(empty))
}

func TestBindingsTable(t *testing.T) {
	b := &workv1alpha2.ResourceBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-deployment",
		CreationTimestamp: metav1.Now(), Annotations: map[string]string{"propagationpolicy.karmada.io/name": "web"}}}
	b.Spec.Resource = workv1alpha2.ObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}
	b.Spec.Replicas = 3
	b.Spec.Clusters = []workv1alpha2.TargetCluster{{Name: "m1", Replicas: 2}, {Name: "m2", Replicas: 1}}
	b.Status.SchedulingDecisions = []workv1alpha2.ClusterDecision{{Cluster: "m1", Selected: true, Replicas: 2, AvailableReplicas: ptr.To[int64](9)}}
	list := &corev1.List{Items: []runtime.RawExtension{{Object: b}}}

	var out bytes.Buffer
	require.NoError(t, bindingsView{}.table(&out, list, true, true))
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	require.Len(t, lines, 2, out.String())
	assert.Contains(t, string(lines[0]), "NAMESPACE")
	assert.Contains(t, string(lines[1]), "shop")
	assert.Contains(t, string(lines[1]), "web-deployment")
	assert.Contains(t, string(lines[1]), "m1:2,m2:1", "where the replicas go")
}
