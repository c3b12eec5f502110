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
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/kubectl-karmada/kubectl-karmada/internal/names"
	"github.com/kubectl-karmada/kubectl-karmada/internal/pki"
)

// The control plane in the host cluster, all in one namespace so that
// deinit removes it by deleting that namespace.
const (
	pkiSecret        = "karmada-pki"
	kubeconfigSecret = "karmada-kubeconfig" //nolint:gosec // a Secret name, not a credential
	etcdName         = names.EtcdName
	apiServerName    = "karmada-apiserver"
	kcmName          = "karmada-kube-controller-manager"
	controllersName  = "karmada-controllers"
	apiServerPort    = 5443
	pkiDir           = "/etc/karmada/pki"
	kubeconfigDir    = "/etc/karmada/kubeconfig"
	adminConf        = "admin.conf"
	kcmConf          = "controller-manager.conf"
	controllersConf  = "controllers.conf"
)

// Images are the container images init deploys.
type Images struct {
	Etcd, APIServer, ControllerManager, Controllers string
}

// hostPlan is what init deploys into the host cluster.
type hostPlan struct {
	Namespace string
	Images    Images
	// EtcdDataPath is a hostPath for etcd's data; empty means emptyDir
	// (the data goes with the pod: for trials only).
	EtcdDataPath string
	// ServiceType and NodePort expose the API server.
	ServiceType corev1.ServiceType
	NodePort    int32
	// PKI holds the certificate files.
	PKI map[string][]byte
}

// inClusterHost is the API server's address inside the host cluster.
func (p hostPlan) inClusterHost() string {
	return fmt.Sprintf("https://%s.%s.svc:%d", apiServerName, p.Namespace, apiServerPort)
}

// apiServerHosts are the names the API server's certificate covers.
func apiServerHosts(namespace string, extra []string) []string {
	return append([]string{apiServerName, apiServerName + "." + namespace, apiServerName + "." + namespace + ".svc",
		apiServerName + "." + namespace + ".svc.cluster.local", "localhost", "127.0.0.1"}, extra...)
}

func etcdHosts(namespace string) []string {
	return []string{etcdName, etcdName + "." + namespace, etcdName + "." + namespace + ".svc",
		etcdName + "." + namespace + ".svc.cluster.local", "localhost", "127.0.0.1"}
}

func labels(name string) map[string]string {
	return map[string]string{"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "kubectl-karmada",
		"app.kubernetes.io/managed-by": "kubectl-karmada"}
}

// base are the objects the control-plane API needs, in apply order;
// controllers come after the CRDs are installed.
func (p hostPlan) base() ([]client.Object, error) {
	admin, err := p.kubeconfig(p.inClusterHost(), pki.AdminCert, pki.AdminKey)
	if err != nil {
		return nil, err
	}
	kcm, err := p.kubeconfig(p.inClusterHost(), pki.ControllerMgrCert, pki.ControllerMgrKey)
	if err != nil {
		return nil, err
	}
	controllers, err := p.kubeconfig(p.inClusterHost(), pki.ControllersCert, pki.ControllersKey)
	if err != nil {
		return nil, err
	}
	meta := func(name string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Namespace: p.Namespace, Name: name, Labels: labels(name)}
	}
	return []client.Object{
		&corev1.Namespace{TypeMeta: typeMeta("v1", "Namespace"), ObjectMeta: metav1.ObjectMeta{Name: p.Namespace, Labels: labels(p.Namespace)}},
		&corev1.Secret{TypeMeta: typeMeta("v1", "Secret"), ObjectMeta: meta(pkiSecret), Data: p.PKI},
		&corev1.Secret{TypeMeta: typeMeta("v1", "Secret"), ObjectMeta: meta(kubeconfigSecret), Data: map[string][]byte{adminConf: admin, kcmConf: kcm, controllersConf: controllers}},
		&corev1.Service{TypeMeta: typeMeta("v1", "Service"), ObjectMeta: meta(etcdName), Spec: corev1.ServiceSpec{
			Selector: labels(etcdName), Ports: []corev1.ServicePort{{Name: "client", Port: 2379, TargetPort: intstr.FromInt32(2379)}},
		}},
		p.etcd(),
		p.apiServerService(),
		p.apiServer(),
		p.controllerManager(),
	}, nil
}

// kubeconfig is a kubeconfig for server with a client certificate of the
// bundle.
func (p hostPlan) kubeconfig(server, cert, key string) ([]byte, error) {
	return clientcmd.Write(*kubeconfigFor(server, p.PKI[pki.CACert], p.PKI[cert], p.PKI[key]))
}

// kubeconfigFor builds a one-context kubeconfig named karmada-apiserver.
func kubeconfigFor(server string, ca, cert, key []byte) *clientcmdapi.Config {
	const name = "karmada-apiserver"
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[name] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos[name] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	cfg.CurrentContext = name
	return cfg
}

func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func pkiFile(name string) string { return path.Join(pkiDir, name) }

func pkiVolume() (corev1.Volume, corev1.VolumeMount) {
	return corev1.Volume{Name: "pki", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: pkiSecret}}},
		corev1.VolumeMount{Name: "pki", MountPath: pkiDir, ReadOnly: true}
}

func kubeconfigVolume() (corev1.Volume, corev1.VolumeMount) {
	return corev1.Volume{Name: "kubeconfig", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: kubeconfigSecret}}},
		corev1.VolumeMount{Name: "kubeconfig", MountPath: kubeconfigDir, ReadOnly: true}
}

func probe(path string, port int32, scheme corev1.URIScheme) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromInt32(port), Scheme: scheme}},
		PeriodSeconds: 5, FailureThreshold: 3, TimeoutSeconds: 3,
	}
}

// startupProbe holds the liveness probe back for up to two minutes while a
// component starts, as kubeadm does for its control plane. Without it a
// kube-apiserver still running its post-start hooks on a busy node failed
// /livez three times and was restarted.
func startupProbe(path string, port int32, scheme corev1.URIScheme) *corev1.Probe {
	p := probe(path, port, scheme)
	p.FailureThreshold = 24
	return p
}

// etcdDataDir is etcd's folder on the node: one per control plane, named
// after its CA. deinit cannot reach into a node to remove the folder; were
// it shared, the next init into the same host would start on the old data
// and bring back the removed control plane's templates, policies and
// member credentials. Running init again keeps the CA, so the same folder.
func (p hostPlan) etcdDataDir() string {
	sum := sha256.Sum256(p.PKI[pki.CACert])
	return path.Join(p.EtcdDataPath, hex.EncodeToString(sum[:6]))
}

func (p hostPlan) etcd() *appsv1.StatefulSet {
	pkiVol, pkiMount := pkiVolume()
	data := corev1.Volume{Name: "data", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
	if p.EtcdDataPath != "" {
		data.VolumeSource = corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: p.etcdDataDir(), Type: ptr.To(corev1.HostPathDirectoryOrCreate)}}
	}
	return &appsv1.StatefulSet{
		TypeMeta:   typeMeta("apps/v1", "StatefulSet"),
		ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: etcdName, Labels: labels(etcdName)},
		Spec: appsv1.StatefulSetSpec{
			Replicas: ptr.To[int32](1), ServiceName: etcdName,
			Selector: &metav1.LabelSelector{MatchLabels: labels(etcdName)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(etcdName)},
				Spec: corev1.PodSpec{
					Volumes: []corev1.Volume{pkiVol, data},
					Containers: []corev1.Container{{
						Name: "etcd", Image: p.Images.Etcd,
						Command: []string{"etcd"},
						Args: []string{
							"--name=" + etcdName + "-0", "--data-dir=/var/lib/etcd",
							"--listen-client-urls=https://0.0.0.0:2379",
							fmt.Sprintf("--advertise-client-urls=https://%s.%s.svc:2379", etcdName, p.Namespace),
							"--listen-peer-urls=http://127.0.0.1:2380", "--initial-advertise-peer-urls=http://127.0.0.1:2380",
							"--initial-cluster=" + etcdName + "-0=http://127.0.0.1:2380",
							"--listen-metrics-urls=http://0.0.0.0:2381",
							"--cert-file=" + pkiFile(pki.EtcdCert), "--key-file=" + pkiFile(pki.EtcdKey),
							"--client-cert-auth=true", "--trusted-ca-file=" + pkiFile(pki.CACert),
						},
						Ports:          []corev1.ContainerPort{{Name: "client", ContainerPort: 2379}, {Name: "metrics", ContainerPort: 2381}},
						ReadinessProbe: probe("/health", 2381, corev1.URISchemeHTTP),
						VolumeMounts:   []corev1.VolumeMount{pkiMount, {Name: "data", MountPath: "/var/lib/etcd"}},
						Resources:      requests("100m", "128Mi"),
					}},
				},
			},
		},
	}
}

func (p hostPlan) apiServerService() *corev1.Service {
	svc := &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: apiServerName, Labels: labels(apiServerName)},
		Spec: corev1.ServiceSpec{Type: p.ServiceType, Selector: labels(apiServerName),
			Ports: []corev1.ServicePort{{Name: "https", Port: apiServerPort, TargetPort: intstr.FromInt32(apiServerPort)}}},
	}
	if p.ServiceType == corev1.ServiceTypeNodePort {
		svc.Spec.Ports[0].NodePort = p.NodePort
	}
	return svc
}

// APIServerArgs are the kube-apiserver flags; files live under pkiDir.
func (p hostPlan) APIServerArgs() []string {
	return []string{
		fmt.Sprintf("--secure-port=%d", apiServerPort), "--bind-address=0.0.0.0",
		fmt.Sprintf("--etcd-servers=https://%s.%s.svc:2379", etcdName, p.Namespace),
		"--etcd-cafile=" + pkiFile(pki.CACert), "--etcd-certfile=" + pkiFile(pki.EtcdClientCert), "--etcd-keyfile=" + pkiFile(pki.EtcdClientKey),
		"--client-ca-file=" + pkiFile(pki.CACert),
		"--tls-cert-file=" + pkiFile(pki.APIServerCert), "--tls-private-key-file=" + pkiFile(pki.APIServerKey),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pkiFile(pki.ServiceAccountPub), "--service-account-signing-key-file=" + pkiFile(pki.ServiceAccountKey),
		"--service-cluster-ip-range=10.96.0.0/12", "--authorization-mode=RBAC",
		// Privileged templates (node agents) are accepted, as a member
		// would; nothing runs here.
		"--allow-privileged=true",
		// A Pod (or a workload) here is a template: no ServiceAccount
		// needs to exist for it, as in Karmada's API server.
		"--disable-admission-plugins=ServiceAccount",
	}
}

func (p hostPlan) apiServer() *appsv1.Deployment {
	pkiVol, pkiMount := pkiVolume()
	return p.deployment(apiServerName, []corev1.Volume{pkiVol}, corev1.Container{
		Name: "kube-apiserver", Image: p.Images.APIServer, Command: []string{"kube-apiserver"}, Args: p.APIServerArgs(),
		Ports:          []corev1.ContainerPort{{Name: "https", ContainerPort: apiServerPort}},
		ReadinessProbe: probe("/readyz", apiServerPort, corev1.URISchemeHTTPS),
		LivenessProbe:  probe("/livez", apiServerPort, corev1.URISchemeHTTPS),
		StartupProbe:   startupProbe("/livez", apiServerPort, corev1.URISchemeHTTPS),
		VolumeMounts:   []corev1.VolumeMount{pkiMount},
		Resources:      requests("250m", "256Mi"),
	})
}

// ControllerManagerArgs run only the namespace and garbage-collector
// controllers: the control plane has no nodes and runs no workloads.
func (p hostPlan) ControllerManagerArgs() []string {
	conf := path.Join(kubeconfigDir, kcmConf)
	return []string{
		"--kubeconfig=" + conf, "--authentication-kubeconfig=" + conf, "--authorization-kubeconfig=" + conf,
		"--controllers=namespace,garbagecollector", "--leader-elect=true", "--bind-address=0.0.0.0", "--secure-port=10257",
		// Each controller acts as its own service account, with the
		// bootstrap roles the API server gives those accounts.
		"--use-service-account-credentials=true",
	}
}

func (p hostPlan) controllerManager() *appsv1.Deployment {
	kubeVol, kubeMount := kubeconfigVolume()
	return p.deployment(kcmName, []corev1.Volume{kubeVol}, corev1.Container{
		Name: "kube-controller-manager", Image: p.Images.ControllerManager, Command: []string{"kube-controller-manager"},
		Args: p.ControllerManagerArgs(), VolumeMounts: []corev1.VolumeMount{kubeMount},
		ReadinessProbe: probe("/healthz", 10257, corev1.URISchemeHTTPS),
		Resources:      requests("100m", "128Mi"),
	})
}

// controllers is the karmada-controllers Deployment, applied once the
// control-plane API has its CRDs. It authenticates as its own user, bound
// to the karmada-controllers ClusterRole (internal/rbac).
func (p hostPlan) controllers() *appsv1.Deployment {
	kubeVol, kubeMount := kubeconfigVolume()
	return p.deployment(controllersName, []corev1.Volume{kubeVol}, corev1.Container{
		Name: "karmada-controllers", Image: p.Images.Controllers,
		Args: []string{"--kubeconfig=" + path.Join(kubeconfigDir, controllersConf), "--leader-elect=true",
			"--leader-election-namespace=" + names.SystemNamespace, "--health-probe-bind-address=:8081", "--metrics-bind-address=:8080"},
		Ports:          []corev1.ContainerPort{{Name: "metrics", ContainerPort: 8080}, {Name: "probes", ContainerPort: 8081}},
		ReadinessProbe: probe("/readyz", 8081, corev1.URISchemeHTTP),
		LivenessProbe:  probe("/healthz", 8081, corev1.URISchemeHTTP),
		StartupProbe:   startupProbe("/healthz", 8081, corev1.URISchemeHTTP),
		VolumeMounts:   []corev1.VolumeMount{kubeMount},
		Resources:      requests("100m", "64Mi"),
	})
}

func (p hostPlan) deployment(name string, volumes []corev1.Volume, c corev1.Container) *appsv1.Deployment {
	return &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: name, Labels: labels(name)},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](1),
			Selector: &metav1.LabelSelector{MatchLabels: labels(name)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels(name)},
				Spec:       corev1.PodSpec{Volumes: volumes, Containers: []corev1.Container{c}},
			},
		},
	}
}

func requests(cpu, memory string) corev1.ResourceRequirements {
	return corev1.ResourceRequirements{Requests: corev1.ResourceList{
		corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(memory),
	}}
}
