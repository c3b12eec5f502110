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

// Package pki makes the certificates of a control plane that "init"
// deploys into a host cluster: one CA, serving certificates for etcd and
// the API server, client certificates for the API server (towards etcd),
// the controller manager and the administrator, and the service-account
// signing key. Keys are ECDSA P-256; everything is PEM, as the components'
// flags expect.
package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// Files names each PEM file of a Bundle, as stored in the Secret and
// mounted in the pods.
const (
	CACert            = "ca.crt"
	CAKey             = "ca.key"
	EtcdCert          = "etcd.crt"
	EtcdKey           = "etcd.key"
	APIServerCert     = "apiserver.crt"
	APIServerKey      = "apiserver.key"
	EtcdClientCert    = "apiserver-etcd-client.crt"
	EtcdClientKey     = "apiserver-etcd-client.key"
	ControllerMgrCert = "controller-manager.crt"
	ControllerMgrKey  = "controller-manager.key"
	ControllersCert   = "controllers.crt"
	ControllersKey    = "controllers.key"
	AdminCert         = "admin.crt"
	AdminKey          = "admin.key"
	ServiceAccountKey = "sa.key"
	ServiceAccountPub = "sa.pub"
)

// ControllersUser is the user karmada-controllers authenticates as; the
// karmada-controllers ClusterRole is bound to it.
const ControllersUser = "karmada-controllers"

// validity of every certificate; the CA lasts longer than what it signs.
const (
	caValidity   = 10 * 365 * 24 * time.Hour
	leafValidity = 5 * 365 * 24 * time.Hour
)

// Hosts are the names and addresses the serving certificates are valid for.
type Hosts struct {
	APIServer []string
	Etcd      []string
}

// New makes a complete bundle: file name to PEM bytes.
func New(hosts Hosts, now time.Time) (map[string][]byte, error) {
	caKey, err := newKey()
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "kubectl-karmada-ca"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true, IsCA: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{CACert: certPEM(caDER)}
	if out[CAKey], err = keyPEM(caKey); err != nil {
		return nil, err
	}
	leaves := []struct {
		cert, key string
		subject   pkix.Name
		usage     []x509.ExtKeyUsage
		hosts     []string
	}{
		{EtcdCert, EtcdKey, pkix.Name{CommonName: "karmada-etcd"}, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, hosts.Etcd},
		{APIServerCert, APIServerKey, pkix.Name{CommonName: "karmada-apiserver"}, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, hosts.APIServer},
		{EtcdClientCert, EtcdClientKey, pkix.Name{CommonName: "karmada-apiserver-etcd-client"}, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil},
		{ControllerMgrCert, ControllerMgrKey, pkix.Name{CommonName: "system:kube-controller-manager"}, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil},
		{ControllersCert, ControllersKey, pkix.Name{CommonName: ControllersUser}, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil},
		{AdminCert, AdminKey, pkix.Name{CommonName: "kubectl-karmada-admin", Organization: []string{"system:masters"}}, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil},
	}
	for _, l := range leaves {
		key, err := newKey()
		if err != nil {
			return nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: serial(), Subject: l.subject, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(leafValidity),
			KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: l.usage,
		}
		for _, h := range l.hosts {
			if ip := net.ParseIP(h); ip != nil {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			} else {
				tmpl.DNSNames = append(tmpl.DNSNames, h)
			}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
		if err != nil {
			return nil, fmt.Errorf("signing %s: %w", l.cert, err)
		}
		out[l.cert] = certPEM(der)
		if out[l.key], err = keyPEM(key); err != nil {
			return nil, err
		}
	}
	saKey, err := newKey()
	if err != nil {
		return nil, err
	}
	if out[ServiceAccountKey], err = keyPEM(saKey); err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(saKey.Public())
	if err != nil {
		return nil, err
	}
	out[ServiceAccountPub] = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	return out, nil
}

// Complete reports which files a stored bundle lacks.
func Complete(files map[string][]byte) error {
	var missing []error
	for _, name := range []string{CACert, CAKey, EtcdCert, EtcdKey, APIServerCert, APIServerKey, EtcdClientCert, EtcdClientKey,
		ControllerMgrCert, ControllerMgrKey, ControllersCert, ControllersKey, AdminCert, AdminKey, ServiceAccountKey, ServiceAccountPub} {
		if len(files[name]) == 0 {
			missing = append(missing, fmt.Errorf("%s is missing", name))
		}
	}
	return errors.Join(missing...)
}

func newKey() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func keyPEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}
