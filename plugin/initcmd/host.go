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

package initcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/internal/connect"
	"github.com/kubectl-karmada/kubectl-karmada/internal/pki"
)

// fieldManager owns what init applies in the host cluster.
const fieldManager = "kubectl-karmada"

// runHost deploys the control plane into the host cluster, prepares it,
// starts the controllers and writes a kubeconfig for it.
func (o *Options) runHost(ctx context.Context) error {
	c, err := connect.NewClient(o.hostConfig)
	if err != nil {
		return err
	}
	kube, err := kubernetes.NewForConfig(o.hostConfig)
	if err != nil {
		return err
	}
	plan := hostPlan{Namespace: o.Namespace, Images: o.Images, EtcdDataPath: o.EtcdDataPath,
		ServiceType: corev1.ServiceType(o.APIServerServiceType), NodePort: o.NodePort}
	advertise := o.AdvertiseAddress
	if advertise == "" && plan.ServiceType == corev1.ServiceTypeNodePort {
		advertise = nodeAddress(ctx, kube)
	}
	if plan.PKI, err = o.loadOrMakePKI(ctx, c, advertise); err != nil {
		return err
	}
	objs, err := plan.base()
	if err != nil {
		return err
	}
	if o.DryRun {
		for _, obj := range append(objs, plan.controllers()) {
			if err := o.printer.PrintObj(obj, o.Out); err != nil {
				return err
			}
		}
		return o.printControlPlaneObjects()
	}

	fmt.Fprintf(o.Out, "Deploying the control plane into namespace %s of the host cluster...\n", o.Namespace)
	changed, err := o.startInOrder(ctx, c, kube, objs)
	if err != nil {
		return err
	}
	cpConfig, stop, err := o.controlPlaneConfig(ctx, kube, plan)
	if err != nil {
		return err
	}
	defer stop()
	prepared, err := o.prepare(ctx, cpConfig)
	if err != nil {
		return err
	}
	changed = append(changed, prepared...)
	more, err := o.startInOrder(ctx, c, kube, []client.Object{plan.controllers()})
	if err != nil {
		return err
	}
	changed = append(changed, more...)
	written, err := o.writeKubeconfig(plan, advertise)
	if err != nil {
		return err
	}
	if len(changed) == 0 && !written {
		fmt.Fprintf(o.Out, "The control plane in namespace %s is already deployed and initialized; nothing changed.\n", o.Namespace)
		return nil
	}
	fmt.Fprintf(o.Out, "The control plane is ready (%d objects created or updated). Its kubeconfig: %s (context karmada-apiserver)\n",
		len(changed), o.KarmadaKubeconfig)
	fmt.Fprintf(o.Out, "Next: kubectl karmada --kubeconfig %s join NAME --cluster-kubeconfig FILE\n", o.KarmadaKubeconfig)
	return nil
}

// loadOrMakePKI reuses the certificates of an earlier init, so a second
// run changes nothing and clients keep working; otherwise it makes them.
func (o *Options) loadOrMakePKI(ctx context.Context, c client.Client, advertise string) (map[string][]byte, error) {
	secret := &corev1.Secret{}
	err := c.Get(ctx, client.ObjectKey{Namespace: o.Namespace, Name: pkiSecret}, secret)
	switch {
	case err == nil && pki.Complete(secret.Data) == nil:
		return secret.Data, nil
	case err == nil:
		return nil, fmt.Errorf("secret %s/%s exists but is not a complete certificate bundle (%w); delete it or run deinit first", o.Namespace, pkiSecret, pki.Complete(secret.Data))
	case !apierrors.IsNotFound(err):
		return nil, fmt.Errorf("reading secret %s/%s in the host cluster: %w", o.Namespace, pkiSecret, err)
	}
	extra := append([]string(nil), o.CertSANs...)
	if advertise != "" {
		extra = append(extra, advertise)
	}
	return pki.New(pki.Hosts{APIServer: apiServerHosts(o.Namespace, extra), Etcd: etcdHosts(o.Namespace)}, time.Now())
}

// startInOrder applies the base objects so that each component starts
// after what it needs is ready: etcd (with the namespace, Secrets and
// Services), then the API server, then the controller manager. Started all
// at once on a real cluster, the API server restarted once and the
// controller manager three times while waiting for the others. It says how
// long each took and names what changed.
func (o *Options) startInOrder(ctx context.Context, c client.Client, kube kubernetes.Interface, objs []client.Object) ([]string, error) {
	var stages [][]client.Object
	var first []client.Object
	for _, obj := range objs {
		if _, ok := obj.(*appsv1.Deployment); ok {
			stages = append(stages, []client.Object{obj})
		} else {
			first = append(first, obj)
		}
	}
	if len(first) > 0 {
		stages = append([][]client.Object{first}, stages...)
	}
	var changed []string
	for _, stage := range stages {
		start := time.Now()
		more, err := apply(ctx, c, stage)
		if err != nil {
			return nil, err
		}
		changed = append(changed, more...)
		var workloads []client.Object
		var what []string
		for _, obj := range stage {
			switch obj.(type) {
			case *appsv1.Deployment, *appsv1.StatefulSet:
				workloads = append(workloads, obj)
				what = append(what, obj.GetName())
			}
		}
		if err := o.waitReady(ctx, c, kube, workloads); err != nil {
			return nil, err
		}
		fmt.Fprintf(o.Out, "  %s ready (%s)\n", strings.Join(what, ", "), time.Since(start).Round(time.Second))
	}
	return changed, nil
}

// apply server-side applies objs and names those that changed.
func apply(ctx context.Context, c client.Client, objs []client.Object) ([]string, error) {
	var changed []string
	for _, obj := range objs {
		kind := obj.GetObjectKind().GroupVersionKind().Kind
		before := obj.DeepCopyObject().(client.Object)
		rv := ""
		if err := c.Get(ctx, client.ObjectKeyFromObject(obj), before); err == nil {
			rv = before.GetResourceVersion()
		} else if !apierrors.IsNotFound(err) {
			return nil, err
		}
		if err := c.Patch(ctx, obj, client.Apply, client.FieldOwner(fieldManager), client.ForceOwnership); err != nil { //nolint:staticcheck // typed apply configurations would double this file
			return nil, fmt.Errorf("applying %s %s: %w", kind, obj.GetName(), err)
		}
		if obj.GetResourceVersion() != rv {
			changed = append(changed, strings.ToLower(kind)+"/"+obj.GetName())
		}
	}
	return changed, nil
}

// waitReady waits for Deployments and StatefulSets to be available; on
// timeout it names each one that is not and why its pods wait.
func (o *Options) waitReady(ctx context.Context, c client.Client, kube kubernetes.Interface, objs []client.Object) error {
	var pending []string
	err := wait.PollUntilContextTimeout(ctx, 2*time.Second, o.Timeout, true, func(ctx context.Context) (bool, error) {
		pending = pending[:0]
		for _, obj := range objs {
			cur := obj.DeepCopyObject().(client.Object)
			if err := c.Get(ctx, client.ObjectKeyFromObject(obj), cur); err != nil {
				return false, err
			}
			ready, want := int32(0), int32(1)
			switch x := cur.(type) {
			case *appsv1.Deployment:
				ready, want = x.Status.AvailableReplicas, *x.Spec.Replicas
			case *appsv1.StatefulSet:
				ready, want = x.Status.ReadyReplicas, *x.Spec.Replicas
			}
			if ready < want {
				pending = append(pending, fmt.Sprintf("%s/%s (%d/%d ready%s)", strings.ToLower(obj.GetObjectKind().GroupVersionKind().Kind),
					obj.GetName(), ready, want, podTrouble(ctx, kube, o.Namespace, obj.GetName())))
			}
		}
		return len(pending) == 0, nil
	})
	if err != nil && len(pending) > 0 {
		return fmt.Errorf("not ready after %s: %s", o.Timeout, strings.Join(pending, "; "))
	}
	return err
}

// podTrouble says why the pods of an app wait, if a container says so.
func podTrouble(ctx context.Context, kube kubernetes.Interface, namespace, app string) string {
	pods, err := kube.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + app})
	if err != nil || len(pods.Items) == 0 {
		return ", no pod yet"
	}
	for _, p := range pods.Items {
		for _, s := range p.Status.ContainerStatuses {
			if s.State.Waiting != nil && s.State.Waiting.Reason != "" {
				return fmt.Sprintf(", pod %s: %s %s", p.Name, s.State.Waiting.Reason, s.State.Waiting.Message)
			}
		}
		if p.Status.Phase == corev1.PodPending {
			for _, cond := range p.Status.Conditions {
				if cond.Status != corev1.ConditionTrue && cond.Message != "" {
					return fmt.Sprintf(", pod %s: %s", p.Name, cond.Message)
				}
			}
		}
	}
	return ""
}

// controlPlaneConfig reaches the new API server: at --karmada-apiserver-endpoint
// when given, otherwise through a port-forward to its pod over the host's
// API server, which works wherever kubectl does.
func (o *Options) controlPlaneConfig(ctx context.Context, kube kubernetes.Interface, plan hostPlan) (*rest.Config, func(), error) {
	cfg := &rest.Config{TLSClientConfig: rest.TLSClientConfig{
		CAData: plan.PKI[pki.CACert], CertData: plan.PKI[pki.AdminCert], KeyData: plan.PKI[pki.AdminKey],
	}, QPS: 50, Burst: 100}
	if o.Endpoint != "" {
		cfg.Host = o.Endpoint
		return cfg, func() {}, nil
	}
	pods, err := kube.CoreV1().Pods(o.Namespace).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + apiServerName})
	if err != nil {
		return nil, nil, err
	}
	pod := ""
	for _, p := range pods.Items {
		for _, cond := range p.Status.Conditions {
			if cond.Type == corev1.PodReady && cond.Status == corev1.ConditionTrue && p.DeletionTimestamp.IsZero() {
				pod = p.Name
			}
		}
	}
	if pod == "" {
		return nil, nil, errors.New("no ready karmada-apiserver pod to port-forward to")
	}
	transport, upgrader, err := spdy.RoundTripperFor(o.hostConfig)
	if err != nil {
		return nil, nil, err
	}
	url := kube.CoreV1().RESTClient().Post().Resource("pods").Namespace(o.Namespace).Name(pod).SubResource("portforward").URL()
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, url)
	stop, ready := make(chan struct{}), make(chan struct{})
	fw, err := portforward.New(dialer, []string{fmt.Sprintf("0:%d", apiServerPort)}, stop, ready, io.Discard, io.Discard)
	if err != nil {
		return nil, nil, err
	}
	failed := make(chan error, 1)
	go func() { failed <- fw.ForwardPorts() }()
	select {
	case <-ready:
	case err := <-failed:
		return nil, nil, fmt.Errorf("port-forwarding to pod %s/%s: %w", o.Namespace, pod, err)
	case <-time.After(30 * time.Second):
		close(stop)
		return nil, nil, fmt.Errorf("port-forwarding to pod %s/%s: no answer in 30s", o.Namespace, pod)
	}
	ports, err := fw.GetPorts()
	if err != nil || len(ports) == 0 {
		close(stop)
		return nil, nil, fmt.Errorf("port-forwarding to pod %s/%s: %w", o.Namespace, pod, err)
	}
	cfg.Host = fmt.Sprintf("https://127.0.0.1:%d", ports[0].Local)
	return cfg, func() { close(stop) }, nil
}

// nodeAddress is the InternalIP of the host's first node (by name), where
// a NodePort answers; "" when there is none.
func nodeAddress(ctx context.Context, kube kubernetes.Interface) string {
	nodes, err := kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return ""
	}
	sort.Slice(nodes.Items, func(i, j int) bool { return nodes.Items[i].Name < nodes.Items[j].Name })
	for _, n := range nodes.Items {
		for _, a := range n.Status.Addresses {
			if a.Type == corev1.NodeInternalIP {
				return a.Address
			}
		}
	}
	return ""
}

// writeKubeconfig writes the administrator's kubeconfig of the control
// plane and reports whether the file changed.
func (o *Options) writeKubeconfig(plan hostPlan, advertise string) (bool, error) {
	server := o.Endpoint
	if server == "" {
		server = plan.inClusterHost()
		if plan.ServiceType == corev1.ServiceTypeNodePort && advertise != "" {
			server = fmt.Sprintf("https://%s:%d", advertise, o.NodePort)
		}
	}
	data, err := clientcmd.Write(*kubeconfigFor(server, plan.PKI[pki.CACert], plan.PKI[pki.AdminCert], plan.PKI[pki.AdminKey]))
	if err != nil {
		return false, err
	}
	if old, err := os.ReadFile(o.KarmadaKubeconfig); err == nil && string(old) == string(data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(o.KarmadaKubeconfig), 0o700); err != nil {
		return false, err
	}
	return true, os.WriteFile(o.KarmadaKubeconfig, data, 0o600)
}
