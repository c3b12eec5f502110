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

// Package mcs holds the pure parts of multi-cluster service discovery:
// checking an export, merging the exports of one service into the import
// every cluster gets (the oldest export wins what cannot be merged; ports
// are the union) and naming what the importing side creates.
package mcs

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	mcsv1beta1 "sigs.k8s.io/mcs-api/pkg/apis/v1beta1"
)

// Labels and names on what the importing side creates.
const (
	// ManagedBy is our endpointslice.kubernetes.io/managed-by value; it
	// must not be the built-in controller's.
	ManagedBy = "service-discovery.kubectl-karmada.io"
	// DerivedServiceAnnotation names a ClusterSetIP import's derived Service.
	DerivedServiceAnnotation = "multicluster.kubernetes.io/derived-service"
)

// Export is one cluster's ServiceExport with the Service it exports.
type Export struct {
	Cluster string
	// Created is the ServiceExport's creationTimestamp: the oldest wins.
	Created metav1.Time
	// Service is nil when the cluster has no Service of that name.
	Service *corev1.Service
	// Labels and Annotations are the export's exportedLabels and
	// exportedAnnotations (v1beta1), for the ServiceImport.
	Labels, Annotations map[string]string
}

// Validity says whether an export can be used, as the Valid condition.
func (e Export) Validity() metav1.Condition {
	switch {
	case e.Service == nil:
		return condition(mcsv1beta1.ServiceExportConditionValid, false, mcsv1beta1.ServiceExportReasonNoService,
			"there is no Service of this name in the namespace")
	case e.Service.Spec.Type == corev1.ServiceTypeExternalName:
		return condition(mcsv1beta1.ServiceExportConditionValid, false, mcsv1beta1.ServiceExportReasonInvalidServiceType,
			"a Service of type ExternalName cannot be exported")
	}
	return condition(mcsv1beta1.ServiceExportConditionValid, true, mcsv1beta1.ServiceExportReasonValid, "the Service can be exported")
}

func condition(t mcsv1beta1.ServiceExportConditionType, ok bool, reason mcsv1beta1.ServiceExportConditionReason, msg string) metav1.Condition {
	status := metav1.ConditionFalse
	if ok {
		status = metav1.ConditionTrue
	}
	return metav1.Condition{Type: string(t), Status: status, Reason: string(reason), Message: msg}
}

// Merged is what every importing cluster gets for one service.
type Merged struct {
	Spec mcsv1beta1.ServiceImportSpec
	// Labels and Annotations go on the ServiceImport: the oldest export's
	// exportedLabels and exportedAnnotations.
	Labels, Annotations map[string]string
	// Clusters are the exporting clusters, sorted.
	Clusters []string
	// Winner is the cluster of the oldest export.
	Winner string
	// Conflicts maps an exporting cluster to the reasons (PortConflict,
	// TypeConflict, ...) its Service disagrees with the winning one.
	Conflicts map[string][]string
}

// Merge merges the valid exports of one service, as the MCS
// specification resolves conflicts: the oldest export (ties by cluster
// name) decides type, session affinity, traffic policies, IP families,
// exported labels and annotations, and any export that differs says so
// (TypeConflict, ..., IPFamilyConflict, LabelsConflict,
// AnnotationsConflict). Ports are the union, but a port that is not
// identical to one an older export has under its name or its number and
// protocol is left out, a PortConflict: the import and the derived
// Service never hold two ports of one name or one number. Invalid exports
// are skipped.
func Merge(exports []Export) (Merged, bool) {
	var valid []Export
	for _, e := range exports {
		if e.Validity().Status == metav1.ConditionTrue {
			valid = append(valid, e)
		}
	}
	if len(valid) == 0 {
		return Merged{}, false
	}
	sort.SliceStable(valid, func(i, j int) bool {
		if !valid[i].Created.Equal(&valid[j].Created) {
			return valid[i].Created.Before(&valid[j].Created)
		}
		return valid[i].Cluster < valid[j].Cluster
	})
	winner := valid[0].Service.Spec
	m := Merged{Conflicts: map[string][]string{}, Winner: valid[0].Cluster}
	m.Spec.Type = importType(winner)
	m.Spec.SessionAffinity = winner.SessionAffinity
	m.Spec.SessionAffinityConfig = winner.SessionAffinityConfig
	m.Spec.InternalTrafficPolicy = winner.InternalTrafficPolicy
	m.Spec.TrafficDistribution = winner.TrafficDistribution
	m.Spec.IPFamilies = families(winner)
	m.Labels, m.Annotations = valid[0].Labels, valid[0].Annotations
	var ports portSet
	for _, e := range valid {
		m.Clusters = append(m.Clusters, e.Cluster)
		s := e.Service.Spec
		var reasons []string
		if importType(s) != m.Spec.Type {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonTypeConflict))
		}
		if s.SessionAffinity != m.Spec.SessionAffinity {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonSessionAffinityConflict))
		} else if !apiequality.Semantic.DeepEqual(s.SessionAffinityConfig, m.Spec.SessionAffinityConfig) {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonSessionAffinityConfigConflict))
		}
		if !apiequality.Semantic.DeepEqual(s.InternalTrafficPolicy, m.Spec.InternalTrafficPolicy) {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonInternalTrafficPolicyConflict))
		}
		if !apiequality.Semantic.DeepEqual(s.TrafficDistribution, m.Spec.TrafficDistribution) {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonTrafficDistributionConflict))
		}
		if !apiequality.Semantic.DeepEqual(families(s), m.Spec.IPFamilies) {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonIPFamilyConflict))
		}
		if !sameMap(e.Labels, m.Labels) {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonLabelsConflict))
		}
		if !sameMap(e.Annotations, m.Annotations) {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonAnnotationsConflict))
		}
		portConflict := false
		for _, p := range s.Ports {
			ok := ports.add(mcsv1beta1.ServicePort{Name: p.Name, Protocol: p.Protocol, AppProtocol: p.AppProtocol, Port: p.Port})
			portConflict = portConflict || !ok
		}
		if portConflict {
			reasons = append(reasons, string(mcsv1beta1.ServiceExportReasonPortConflict))
		}
		if len(reasons) > 0 {
			m.Conflicts[e.Cluster] = reasons
		}
	}
	m.Spec.Ports = ports.list
	sort.Strings(m.Clusters)
	return m, true
}

// portSet is the ports of an import, in the order first seen.
type portSet struct {
	list []mcsv1beta1.ServicePort
}

// add takes p unless a port already there has its name, or its number and
// protocol, and differs from it; false means it conflicts.
func (s *portSet) add(p mcsv1beta1.ServicePort) bool {
	for _, have := range s.list {
		if have.Name != p.Name && (have.Port != p.Port || have.Protocol != p.Protocol) {
			continue
		}
		return apiequality.Semantic.DeepEqual(have, p)
	}
	s.list = append(s.list, p)
	return true
}

// families are the IP families a Service serves (IPv4 when it says none,
// as a single-stack cluster defaults).
func families(s corev1.ServiceSpec) []corev1.IPFamily {
	if len(s.IPFamilies) == 0 {
		return []corev1.IPFamily{corev1.IPv4Protocol}
	}
	return s.IPFamilies
}

func sameMap(a, b map[string]string) bool {
	return len(a) == len(b) && (len(a) == 0 || apiequality.Semantic.DeepEqual(a, b))
}

func importType(s corev1.ServiceSpec) mcsv1beta1.ServiceImportType {
	if s.ClusterIP == corev1.ClusterIPNone {
		return mcsv1beta1.Headless
	}
	return mcsv1beta1.ClusterSetIP
}

// ConflictCondition is the Conflict condition of every export of a
// service: True, with the reasons of each disagreeing cluster, when any
// export disagrees with the oldest one.
func (m Merged) ConflictCondition() metav1.Condition {
	if len(m.Conflicts) == 0 {
		return condition(mcsv1beta1.ServiceExportConditionConflict, false, mcsv1beta1.ServiceExportReasonNoConflicts, "the exports agree")
	}
	var reasons, details []string
	seen := map[string]bool{}
	for _, cluster := range m.Clusters {
		rs := m.Conflicts[cluster]
		if len(rs) == 0 {
			continue
		}
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				reasons = append(reasons, r)
			}
		}
		details = append(details, cluster+": "+strings.Join(rs, ","))
	}
	sort.Strings(reasons)
	return metav1.Condition{
		Type: string(mcsv1beta1.ServiceExportConditionConflict), Status: metav1.ConditionTrue, Reason: strings.Join(reasons, ","),
		Message: "the oldest export, " + m.Winner + "'s, wins; disagreeing: " + strings.Join(details, "; "),
	}
}

// DerivedServiceName names the selector-less Service that carries a
// ClusterSetIP import's endpoints in an importing cluster, as the MCS
// reference controller does: "derived-" and 10 characters of a hash of
// "namespace/name".
func DerivedServiceName(namespace, name string) string {
	sum := sha256.Sum256([]byte(namespace + "/" + name))
	return "derived-" + strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:10]
}

// SliceName names the copy of one source EndpointSlice in an importing
// cluster: unique per service, source cluster and source slice.
func SliceName(service, sourceCluster, sourceSlice string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(sourceSlice))
	prefix := service
	if len(prefix) > 100 {
		prefix = prefix[:100]
	}
	return fmt.Sprintf("%s-%s-%08x", prefix, sourceCluster, h.Sum32())
}
