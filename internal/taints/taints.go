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

// Package taints holds what kubectl-karmada knows about taints on member
// Clusters, in one place: how "KEY[=VALUE]:EFFECT" is read (for taints and
// for tolerations alike), how a list of taints is edited, and how a
// Cluster's taints are written without losing a taint someone else set
// meanwhile. The taint, cordon and propagate commands, the TUI and the
// cluster controllers all use it.
package taints

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
)

// Cordon is the taint "kubectl karmada cordon" sets: no new placements.
var Cordon = corev1.Taint{Key: clusterv1alpha1.TaintClusterUnscheduled, Effect: corev1.TaintEffectNoSchedule}

// NotReady is the taint the controllers set on a member that stays not
// ready (its TimeAdded is set when it is added).
var NotReady = corev1.Taint{Key: clusterv1alpha1.TaintClusterNotReady, Effect: corev1.TaintEffectNoSchedule}

// NotReadyNoExecute goes with NotReady: the workloads that do not
// tolerate it (for longer than it lasts) leave the member (failover).
var NotReadyNoExecute = corev1.Taint{Key: clusterv1alpha1.TaintClusterNotReady, Effect: corev1.TaintEffectNoExecute}

// Parse reads "KEY[=VALUE]:EFFECT" as kubectl taint does, with an optional
// trailing "-" that asks for removal (then the effect may be left out:
// "KEY-" removes the key whatever its effect).
func Parse(spec string) (taint corev1.Taint, remove bool, err error) {
	remove = strings.HasSuffix(spec, "-")
	t, hasEffect, err := parse(strings.TrimSuffix(spec, "-"))
	if err != nil {
		return t, false, fmt.Errorf("taint %q: %w", spec, err)
	}
	if !hasEffect && !remove {
		return t, false, fmt.Errorf("taint %q: %w", spec, errEffect)
	}
	return t, remove, nil
}

// ParseToleration reads "KEY[=VALUE]:EFFECT", the way a taint is written,
// into the toleration of exactly that taint (Equal with a value, Exists
// without one).
func ParseToleration(spec string) (corev1.Toleration, error) {
	t, hasEffect, err := parse(spec)
	if err == nil && !hasEffect {
		err = errEffect
	}
	if err != nil {
		return corev1.Toleration{}, fmt.Errorf("toleration %q: %w (use KEY[=VALUE]:EFFECT, such as %s:%s)",
			spec, err, Cordon.Key, Cordon.Effect)
	}
	tol := corev1.Toleration{Key: t.Key, Operator: corev1.TolerationOpExists, Effect: t.Effect}
	if t.Value != "" {
		tol.Operator, tol.Value = corev1.TolerationOpEqual, t.Value
	}
	return tol, nil
}

var errEffect = fmt.Errorf("the effect must be %s, %s or %s",
	corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute)

// parse checks the key, the value and, when one is given, the effect; it
// also says whether one was given.
func parse(spec string) (corev1.Taint, bool, error) {
	keyValue, effect, hasEffect := strings.Cut(spec, ":")
	key, value, _ := strings.Cut(keyValue, "=")
	t := corev1.Taint{Key: key, Value: value, Effect: corev1.TaintEffect(effect)}
	if errs := validation.IsQualifiedName(key); len(errs) > 0 {
		return t, hasEffect, fmt.Errorf("invalid key: %s", strings.Join(errs, "; "))
	}
	if value != "" {
		if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
			return t, hasEffect, fmt.Errorf("invalid value: %s", strings.Join(errs, "; "))
		}
	}
	switch {
	case !hasEffect:
	case t.Effect == corev1.TaintEffectNoSchedule, t.Effect == corev1.TaintEffectPreferNoSchedule, t.Effect == corev1.TaintEffectNoExecute:
	default:
		return t, hasEffect, errEffect
	}
	return t, hasEffect, nil
}

// Has reports whether list holds a taint with t's key and, when t names
// one, its effect.
func Has(list []corev1.Taint, t corev1.Taint) bool {
	for _, l := range list {
		if matches(l, t) {
			return true
		}
	}
	return false
}

// matches reports whether t has pattern's key and, when pattern names
// one, its effect.
func matches(t, pattern corev1.Taint) bool {
	return t.Key == pattern.Key && (pattern.Effect == "" || t.Effect == pattern.Effect)
}

// Edit returns list without the taints that remove names (by key, and by
// effect when given) and with add in place of any taint of the same key
// and effect, and whether that changed anything.
func Edit(list, add, remove []corev1.Taint) ([]corev1.Taint, bool) {
	out := make([]corev1.Taint, 0, len(list)+len(add))
	for _, t := range list {
		if !namedBy(t, remove) && !namedBy(t, add) {
			out = append(out, t)
		}
	}
	for _, t := range add {
		// A NoExecute taint records when it came, as Kubernetes' do: a
		// toleration for tolerationSeconds counts from then. Set again,
		// it keeps its time.
		if t.Effect == corev1.TaintEffectNoExecute && t.TimeAdded == nil {
			for _, old := range list {
				if old.MatchTaint(&t) && old.TimeAdded != nil {
					t.TimeAdded = old.TimeAdded
				}
			}
			if t.TimeAdded == nil {
				now := metav1.Now()
				t.TimeAdded = &now
			}
		}
		out = append(out, t)
	}
	return out, !equal(list, out)
}

func namedBy(t corev1.Taint, patterns []corev1.Taint) bool {
	for _, p := range patterns {
		if matches(t, p) {
			return true
		}
	}
	return false
}

func equal(a, b []corev1.Taint) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].MatchTaint(&b[i]) || a[i].Value != b[i].Value {
			return false
		}
	}
	return true
}

// Set adds and removes taints of the Cluster name and reports whether
// anything changed. Taints are a list that a merge patch replaces whole,
// so the patch is locked on the resourceVersion (a taint the controllers
// set meanwhile is not lost) and tried again on a conflict.
func Set(ctx context.Context, c client.Client, name string, add, remove []corev1.Taint) (bool, error) {
	changed := false
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cluster := &clusterv1alpha1.Cluster{}
		if err := c.Get(ctx, client.ObjectKey{Name: name}, cluster); err != nil {
			return err
		}
		before := cluster.DeepCopy()
		cluster.Spec.Taints, changed = Edit(cluster.Spec.Taints, add, remove)
		if !changed {
			return nil
		}
		return Patch(ctx, c, before, cluster)
	})
	return changed, err
}

// Patch writes cluster's taints over before's, locked on before's
// resourceVersion.
func Patch(ctx context.Context, c client.Client, before, cluster *clusterv1alpha1.Cluster) error {
	return c.Patch(ctx, cluster, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{}))
}
