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

// Command hello is the workload of the kind clusters' tests and demo: an
// HTTP server that answers every request with the pod and the cluster that
// served it ("pod=NAME cluster=NAME"), so a client can tell where its
// request landed. It is built
// FROM scratch because no image can be pulled on our machines.
//
// It also has a client mode, "hello get URL [N]", that asks a URL N times
// and prints each answer, so a test can send traffic from inside a pod
// without a shell or curl in the image.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "get" {
		os.Exit(get(os.Args[2], os.Args[3:]))
	}
	addr := ":8080"
	if p := os.Getenv("PORT"); p != "" {
		addr = ":" + p
	}
	answer := fmt.Sprintf("pod=%s cluster=%s\n", os.Getenv("POD_NAME"), clusterName())
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, answer)
	})
	fmt.Printf("hello: serving %q on %s\n", answer, addr)
	srv := &http.Server{Addr: addr, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// clusterName is CLUSTER_NAME, or else the cluster a kind node's name
// tells (NODE_NAME, from the downward API: kind names a cluster's only
// node <cluster>-control-plane).
func clusterName() string {
	if c := os.Getenv("CLUSTER_NAME"); c != "" {
		return c
	}
	return strings.TrimSuffix(os.Getenv("NODE_NAME"), "-control-plane")
}

// get asks url n times (default 1) and prints each answer or error on its
// own line; it fails when no request got an answer.
func get(url string, rest []string) int {
	n := 1
	if len(rest) > 0 {
		if v, err := strconv.Atoi(rest[0]); err == nil && v > 0 {
			n = v
		}
	}
	// A fresh connection each time, so a Service spreads the requests.
	client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	answered := 0
	for i := 0; i < n; i++ {
		resp, err := client.Get(url)
		if err != nil {
			fmt.Printf("error: %v\n", err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		fmt.Print(string(body))
		answered++
	}
	if answered == 0 {
		return 1
	}
	return 0
}
