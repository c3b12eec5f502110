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

// Package member owns every joined member cluster as the controllers
// reach it, in one place: its credentials (a Cluster's apiEndpoint and the
// token and CA bundle of its Secret, the shape Karmada's own tools use),
// the clients made from them, and the informers controllers run in it.
//
// What happens when a member joins, rotates its token, or leaves:
//   - joins: the first controller that asks (Set.For) gets a Member built
//     from the Cluster and its Secret; informers start as controllers ask
//     for them (Member.Watch).
//   - rotates: a new Secret (or endpoint, proxy, TLS setting) is seen on the
//     next Set.For; the old Member stops with all its informers and a new
//     one is built, on which each controller makes its informers again.
//   - leaves: the cluster lifecycle controller calls Set.Forget once the
//     Cluster is gone; the Member stops with all its informers.
package member

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/controller-runtime/pkg/client"

	clusterv1alpha1 "github.com/kubectl-karmada/kubectl-karmada/api/cluster/v1alpha1"
	"github.com/kubectl-karmada/kubectl-karmada/internal/scheme"
)

// Set builds each member on first use and keeps it while its credentials
// stand.
type Set struct {
	// reader reads Clusters and their Secrets (the controllers cache only
	// the Secrets of the namespace holding member credentials).
	reader client.Reader
	// QPS and Burst for each member client.
	qps   float32
	burst int

	mu      sync.Mutex
	members map[string]*Member
}

// NewSet returns a Set reading Clusters and Secrets with reader; qps and
// burst limit each member's clients.
func NewSet(reader client.Reader, qps float32, burst int) *Set {
	return &Set{reader: reader, qps: qps, burst: burst, members: map[string]*Member{}}
}

// Get returns the named member.
func (r *Set) Get(ctx context.Context, name string) (*Member, error) {
	cluster := &clusterv1alpha1.Cluster{}
	if err := r.reader.Get(ctx, client.ObjectKey{Name: name}, cluster); err != nil {
		return nil, err
	}
	return r.For(ctx, cluster)
}

// For returns the member of cluster, built anew (the old one stopped) when
// its credentials or endpoint changed.
func (r *Set) For(ctx context.Context, cluster *clusterv1alpha1.Cluster) (*Member, error) {
	ref := cluster.Spec.SecretRef
	if ref == nil {
		return nil, fmt.Errorf("cluster %s has no spec.secretRef", cluster.Name)
	}
	if err := checkEndpoint(cluster); err != nil {
		return nil, err
	}
	secret := &corev1.Secret{}
	if err := r.reader.Get(ctx, client.ObjectKey{Namespace: ref.Namespace, Name: ref.Name}, secret); err != nil {
		return nil, fmt.Errorf("reading the credentials of cluster %s: %w", cluster.Name, err)
	}
	if err := checkSecretOwner(cluster, secret); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%s|%t|%s", cluster.Spec.APIEndpoint, secret.ResourceVersion, cluster.Spec.InsecureSkipTLSVerification, cluster.Spec.ProxyURL)

	r.mu.Lock()
	defer r.mu.Unlock()
	old, ok := r.members[cluster.Name]
	if ok && old.key == key {
		return old, nil
	}
	m, err := r.build(cluster, secret, key)
	if err != nil {
		return nil, err
	}
	if ok {
		old.stop()
	}
	r.members[cluster.Name] = m
	return m, nil
}

// AllowPlainHTTPAnnotation on a Cluster, set to "true", lets the
// controllers reach it over plain http, sending its token in clear text.
const AllowPlainHTTPAnnotation = "cluster.karmada.io/allow-plain-http"

// SecretOwnerAnnotation on a credentials Secret names the Cluster it
// belongs to, when the Secret is not named after the Cluster.
const SecretOwnerAnnotation = "cluster.karmada.io/cluster"

// checkEndpoint refuses a plain-http endpoint, over which the member's
// bearer token would travel in clear text, unless the Cluster says that
// is wanted.
func checkEndpoint(cluster *clusterv1alpha1.Cluster) error {
	u, err := url.Parse(cluster.Spec.APIEndpoint)
	if err != nil {
		return fmt.Errorf("spec.apiEndpoint of cluster %s: %w", cluster.Name, err)
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && cluster.Annotations[AllowPlainHTTPAnnotation] == "true":
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("spec.apiEndpoint of cluster %s is plain http, which would send its token in clear text; use https, or annotate the Cluster %s=true", cluster.Name, AllowPlainHTTPAnnotation)
	}
	return fmt.Errorf("spec.apiEndpoint of cluster %s must be an https:// URL, not %q", cluster.Name, cluster.Spec.APIEndpoint)
}

// checkSecretOwner ties a Cluster to its own credentials: whoever may
// create a Cluster must not point it at another member's Secret and an
// endpoint of theirs, which would send them that member's token. The
// Secret is named after the Cluster (as join and Karmada's tools make
// it), or names the Cluster in an annotation.
func checkSecretOwner(cluster *clusterv1alpha1.Cluster, secret *corev1.Secret) error {
	if secret.Name == cluster.Name || secret.Annotations[SecretOwnerAnnotation] == cluster.Name {
		return nil
	}
	return fmt.Errorf("secret %s/%s is not cluster %s's: a credentials Secret is named after its Cluster or annotated %s=%s",
		secret.Namespace, secret.Name, cluster.Name, SecretOwnerAnnotation, cluster.Name)
}

// Forget stops the member of a cluster that left, with its informers.
func (r *Set) Forget(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m, ok := r.members[name]; ok {
		m.stop()
		delete(r.members, name)
	}
}

// Members lists the members built so far, by name.
func (r *Set) Members() []*Member {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*Member, 0, len(r.members))
	for _, m := range r.members {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (r *Set) build(cluster *clusterv1alpha1.Cluster, secret *corev1.Secret, key string) (*Member, error) {
	token := secret.Data["token"]
	if len(token) == 0 {
		return nil, fmt.Errorf("secret %s/%s of cluster %s has no token", secret.Namespace, secret.Name, cluster.Name)
	}
	cfg := &rest.Config{
		Host:        cluster.Spec.APIEndpoint,
		BearerToken: string(token),
		QPS:         r.qps,
		Burst:       r.burst,
	}
	if cluster.Spec.InsecureSkipTLSVerification {
		cfg.Insecure = true
	} else {
		cfg.CAData = secret.Data["caBundle"]
	}
	if cluster.Spec.ProxyURL != "" {
		proxy, err := url.Parse(cluster.Spec.ProxyURL)
		if err != nil {
			return nil, fmt.Errorf("spec.proxyURL of cluster %s: %w", cluster.Name, err)
		}
		cfg.Proxy = http.ProxyURL(proxy)
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc))
	c, err := client.New(cfg, client.Options{Scheme: scheme.New(), Mapper: mapper})
	if err != nil {
		return nil, err
	}
	m := newMember(cluster.Name, key)
	m.Config, m.Kube, m.Dynamic, m.Mapper, m.Client = cfg, kube, dyn, mapper, c
	return m, nil
}
