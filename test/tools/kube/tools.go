//go:build tools

// Package kube pins the upstream Kubernetes control-plane binaries that the
// local test clusters run. It lives in its own module so that
// k8s.io/kubernetes never enters the project's main go.mod.
package kube

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
