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

package pki

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, b []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(b)
	require.NotNil(t, block)
	c, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return c
}

func TestBundleChainsAndNames(t *testing.T) {
	now := time.Now()
	files, err := New(Hosts{APIServer: []string{"karmada-apiserver.karmada-system.svc", "127.0.0.1"}, Etcd: []string{"karmada-etcd", "localhost"}}, now)
	require.NoError(t, err)
	require.NoError(t, Complete(files))

	pool := x509.NewCertPool()
	pool.AddCert(parse(t, files[CACert]))
	for _, tc := range []struct {
		cert, key, host string
		usage           x509.ExtKeyUsage
	}{
		{APIServerCert, APIServerKey, "karmada-apiserver.karmada-system.svc", x509.ExtKeyUsageServerAuth},
		{APIServerCert, APIServerKey, "127.0.0.1", x509.ExtKeyUsageServerAuth},
		{EtcdCert, EtcdKey, "localhost", x509.ExtKeyUsageServerAuth},
		{EtcdClientCert, EtcdClientKey, "", x509.ExtKeyUsageClientAuth},
		{AdminCert, AdminKey, "", x509.ExtKeyUsageClientAuth},
		{ControllerMgrCert, ControllerMgrKey, "", x509.ExtKeyUsageClientAuth},
		{ControllersCert, ControllersKey, "", x509.ExtKeyUsageClientAuth},
	} {
		c := parse(t, files[tc.cert])
		_, err := c.Verify(x509.VerifyOptions{Roots: pool, DNSName: tc.host, KeyUsages: []x509.ExtKeyUsage{tc.usage}, CurrentTime: now})
		require.NoError(t, err, "%s for %q", tc.cert, tc.host)
		_, err = tls.X509KeyPair(files[tc.cert], files[tc.key])
		require.NoError(t, err, "%s matches %s", tc.key, tc.cert)
	}
	assert.Equal(t, []string{"system:masters"}, parse(t, files[AdminCert]).Subject.Organization)
	_, err = parse(t, files[APIServerCert]).Verify(x509.VerifyOptions{Roots: pool, DNSName: "evil.example.com"})
	require.Error(t, err, "no name beyond the ones asked for")

	delete(files, AdminKey)
	assert.ErrorContains(t, Complete(files), "admin.key is missing")
}
