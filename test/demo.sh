#!/usr/bin/env bash
# The local multi-cluster demo, run by "make demo" after "make build" and
# "make local-up": init the control plane, join member1..3, start the
# controllers, propagate nginx (4 replicas, weights 1:3 over member1 and
# member2) and show where the replicas went and the template's summed
# status. Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# kubectl from the same pinned upstream build as the clusters, so the demo
# needs nothing installed beforehand.
PATH="$("$root/test/tools/install.sh"):$root/bin:$PATH"
export KUBECONFIG=${KARMADA_KUBECONFIG:-$HOME/.kube/karmada.config}
state=${KARMADA_LOCAL_DIR:-$HOME/.local/share/kubectl-karmada/local-up}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Members are real clusters with fake nodes in two regions and three zones"
run kubectl --context member1 get nodes -L topology.kubernetes.io/region,topology.kubernetes.io/zone

step "Prepare the control plane and join the members"
run kubectl karmada --context karmada-apiserver init --control-plane-kubeconfig "$KUBECONFIG" --control-plane-context karmada-apiserver
run kubectl karmada --context karmada-apiserver join member1 --cluster-kubeconfig "$KUBECONFIG" --cluster-context member1 --cluster-region us-east --cluster-zones us-east-1a
run kubectl karmada --context karmada-apiserver join member2 --cluster-kubeconfig "$KUBECONFIG" --cluster-context member2 --cluster-region us-east --cluster-zones us-east-1b
run kubectl karmada --context karmada-apiserver join member3 --cluster-kubeconfig "$KUBECONFIG" --cluster-context member3 --cluster-region eu-west --cluster-zones eu-west-1a

step "Start the controllers (one process; log in $state/controllers.log)"
if [ -f "$state/controllers.pid" ] && kill -0 "$(cat "$state/controllers.pid")" 2>/dev/null; then
  kill "$(cat "$state/controllers.pid")" && sleep 1
fi
nohup karmada-controllers --kubeconfig "$KUBECONFIG" --context karmada-apiserver \
  --metrics-bind-address 127.0.0.1:18080 --health-probe-bind-address 127.0.0.1:18081 \
  >"$state/controllers.log" 2>&1 &
echo $! >"$state/controllers.pid"
echo "karmada-controllers running (pid $(cat "$state/controllers.pid"))"

step "Cluster status, precise and live"
for _ in $(seq 30); do
  [ "$(kubectl --context karmada-apiserver get clusters -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{end}')" = TrueTrueTrue ] && break
  sleep 0.5
done
run kubectl karmada --context karmada-apiserver get clusters -o wide

step "Apply a plain Deployment and a PropagationPolicy (weights 1:3) to the control plane"
kubectl --context karmada-apiserver create namespace demo --dry-run=client -o yaml | kubectl --context karmada-apiserver apply -f - >/dev/null
run kubectl --context karmada-apiserver apply -f "$root/docs/samples/demo/nginx.yaml"
for _ in $(seq 60); do
  [ "$(kubectl --context karmada-apiserver -n demo get deploy nginx -o jsonpath='{.status.readyReplicas}')" = 4 ] && break
  sleep 0.5
done

step "Where the replicas went"
run kubectl karmada --context karmada-apiserver get bindings -n demo -o wide
run kubectl --context member1 -n demo get deploy nginx
run kubectl --context member2 -n demo get deploy nginx
printf '$ kubectl --context member3 -n demo get deploy nginx\n'
kubectl --context member3 -n demo get deploy nginx 2>&1 || true

step "The template on the control plane shows the members' summed status"
run kubectl --context karmada-apiserver -n demo get deploy nginx

step "A second workload, spread over both regions and divided by free capacity"
kubectl --context karmada-apiserver -n demo create deployment api --image nginx --replicas 6 --dry-run=client -o yaml |
  kubectl --context karmada-apiserver apply -f - >/dev/null
run kubectl karmada --context karmada-apiserver -n demo propagate deployment/api --dynamic-weight --spread-by region --min-groups 2
for _ in $(seq 60); do
  [ "$(kubectl --context karmada-apiserver -n demo get deploy api -o jsonpath='{.status.readyReplicas}')" = 6 ] && break
  sleep 0.5
done

step "Why there? The scheduler's decision, cluster by cluster"
run kubectl karmada --context karmada-apiserver -n demo explain-placement deployment/api

step "Share the Service with the clusterset (MCS API): every member with the namespace imports it"
kubectl --context member3 create namespace demo --dry-run=client -o yaml | kubectl --context member3 apply -f - >/dev/null
run kubectl karmada --context karmada-apiserver -n demo export svc/nginx
for _ in $(seq 60); do
  [ "$(kubectl --context member3 -n demo get serviceimports.multicluster.x-k8s.io nginx -o jsonpath='{.status.clusters[*].cluster}' 2>/dev/null)" = "member1 member2" ] && break
  sleep 0.5
done
run kubectl karmada --context karmada-apiserver -n demo get services -o wide
run kubectl --context member3 -n demo get serviceimports.multicluster.x-k8s.io nginx
run kubectl --context member3 -n demo get endpointslices -l multicluster.kubernetes.io/service-name=nginx

cat <<EOT

Try: kubectl --context karmada-apiserver -n demo scale deploy nginx --replicas 8
     kubectl karmada --context karmada-apiserver get bindings -n demo -o wide
     kubectl karmada --context karmada-apiserver tui
Tear everything down with: make local-down
EOT

if [ -t 0 ] && [ -t 1 ]; then
  step "Watch it live (q quits)"
  sleep 2
  exec kubectl karmada --context karmada-apiserver tui --view workloads
fi
step "The placement, as the TUI shows it (run in a terminal to watch it live)"
run kubectl karmada --context karmada-apiserver tui --dump 120x12 --view workloads
