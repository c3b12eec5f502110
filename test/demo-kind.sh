#!/usr/bin/env bash
# The kind demo, run by "make demo-kind" after "make local-up PROVIDER=kind":
# the control plane runs as pods in the kind cluster karmada-host (init put
# it there); join member1..3, propagate the hello Deployment and Service to
# member1 and member2 (real pods), export the Service, and send requests
# from a pod in member3 to the ClusterSetIP: pods of both clusters answer.
# Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PATH="$("$root/test/tools/install.sh"):$root/bin:$PATH"
export KUBECONFIG=${KARMADA_KUBECONFIG:-$HOME/.kube/karmada.config}
cp=karmada-apiserver

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# until SECONDS WHAT CMD...: retries CMD every second until it succeeds.
until_ok() {
  local limit=$1 what=$2; shift 2
  for _ in $(seq 1 "$limit"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "gave up waiting for $what" >&2; return 1
}

step "The control plane runs as pods in the host cluster (kubectl karmada init)"
run kubectl --context karmada-host -n karmada-system get pods -o wide

step "Join the members: real single-node kind clusters in two regions"
for m in member1:us-east:us-east-1a member2:us-east:us-east-1b member3:eu-west:eu-west-1a; do
  IFS=: read -r name region zone <<<"$m"
  run kubectl karmada --context $cp join "$name" --cluster-kubeconfig "$KUBECONFIG" --cluster-context "$name" \
    --cluster-region "$region" --cluster-zones "$zone"
done
ready() { [ "$(kubectl --context $cp get clusters -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{end}')" = TrueTrueTrue ]; }
until_ok 120 "members Ready" ready
run kubectl karmada --context $cp get clusters -o wide

step "Propagate hello (4 replicas, weights 1:1 over member1 and member2)"
kubectl --context $cp create namespace demo --dry-run=client -o yaml | kubectl --context $cp apply -f - >/dev/null
run kubectl --context $cp apply -f "$root/docs/samples/kind/hello.yaml"
four() { [ "$(kubectl --context $cp -n demo get deploy hello -o jsonpath='{.status.readyReplicas}')" = 4 ]; }
until_ok 180 "4 ready replicas" four
run kubectl --context member1 -n demo get pods -o wide
run kubectl --context member2 -n demo get pods -o wide
run kubectl --context $cp -n demo get deploy hello

step "Export the Service from both; member3 imports it"
kubectl --context member3 create namespace demo --dry-run=client -o yaml | kubectl --context member3 apply -f - >/dev/null
run kubectl karmada --context $cp -n demo export svc/hello
imported() { [ -n "$(kubectl --context member3 -n demo get serviceimports.multicluster.x-k8s.io hello -o jsonpath='{.spec.ips[0]}')" ]; }
until_ok 120 "the import in member3" imported
run kubectl --context member3 -n demo get serviceimports.multicluster.x-k8s.io hello
ip=$(kubectl --context member3 -n demo get serviceimports.multicluster.x-k8s.io hello -o jsonpath='{.spec.ips[0]}')

step "From a pod in member3, 10 requests to the ClusterSetIP $ip"
kubectl --context member3 -n demo delete pod client --ignore-not-found --wait >/dev/null
run kubectl --context member3 -n demo run client --image kubectl-karmada/hello:v1 --image-pull-policy Never \
  --restart Never -- get "http://$ip/" 10 >/dev/null
done_() { phase=$(kubectl --context member3 -n demo get pod client -o jsonpath='{.status.phase}'); [ "$phase" = Succeeded ] || [ "$phase" = Failed ]; }
until_ok 60 "the client pod" done_
run kubectl --context member3 -n demo logs client

cat <<EOT

Try: kubectl karmada --context $cp -n demo export svc/hello --clusters member1   # member2 stops answering
     kubectl karmada --context $cp tui
Tear everything down with: make local-down
EOT
