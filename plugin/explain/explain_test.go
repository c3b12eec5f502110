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

package explain

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	workv1alpha2 "github.com/kubectl-karmada/kubectl-karmada/api/work/v1alpha2"
)

func TestPrint(t *testing.T) {
	e := &Explanation{Template: "Deployment shop/web", Replicas: 3, Mode: "divided by static weights", Policy: "web",
		Scheduled: "False", Reason: "Unschedulable", Message: "2 replicas short", DryRun: true,
		Current: []workv1alpha2.TargetCluster{{Name: "m1", Replicas: 1}},
		Decisions: []workv1alpha2.ClusterDecision{
			{Cluster: "m1", Selected: true, Replicas: 3, AvailableReplicas: ptr.To[int64](3)},
			{Cluster: "m2", Filter: "TaintToleration", Reason: "taint x:NoSchedule is not tolerated"},
		},
		Omitted: 4,
	}
	var out bytes.Buffer
	require.NoError(t, Print(&out, e))
	assert.Equal(t, `Deployment shop/web: 3 replicas, divided by static weights, policy web
Would schedule (dry run): False (Unschedulable): 2 replicas short

CLUSTER   CHOSEN   REPLICAS   NOW   CAN HOLD   WHY
m1        yes      3          1     3          -
m2        no       -          -     -          TaintToleration: taint x:NoSchedule is not tolerated
(4 more clusters not shown)
`, out.String())

	e.DryRun, e.Scheduled, e.Reason = false, "True", "Success"
	out.Reset()
	require.NoError(t, Print(&out, e))
	assert.Contains(t, out.String(), "Scheduled: True (Success)\n", "no message once it worked")
	assert.NotContains(t, out.String(), "NOW", "the comparison is for dry runs")

	since := metav1.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	e.Evictions = []workv1alpha2.GracefulEvictionTask{{FromCluster: "m2", Replicas: ptr.To[int32](2), Reason: "TaintUntolerated",
		PurgeMode: "Gracefully", CreationTimestamp: &since, Message: "taint outage:NoExecute is not tolerated"}}
	out.Reset()
	require.NoError(t, Print(&out, e))
	assert.Contains(t, out.String(), `
Evictions (failover):
FROM   REPLICAS   REASON             PURGE        SINCE                  MESSAGE
m2     2          TaintUntolerated   Gracefully   2026-01-02T03:04:05Z   taint outage:NoExecute is not tolerated
`)
}
