//go:build tools

// Package kube pins the upstream Kubernetes binaries that the local
// test clusters run: the control plane for the kwok clusters, and kubelet,
// kubeadm and kube-proxy too for the kind node image. It lives in its own module so that
// k8s.io/kubernetes never enters the project's main go.mod.
package kube

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
