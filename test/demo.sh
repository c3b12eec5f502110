#!/usr/bin/env bash
# A short tour of the local multi-cluster environment, run by "make demo"
# after "make local-up". Safe to run again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# kubectl from the same pinned upstream build as the clusters, so the demo
# needs nothing installed beforehand.
PATH="$("$root/test/tools/install.sh"):$root/bin:$PATH"
export KUBECONFIG=${KARMADA_KUBECONFIG:-$HOME/.kube/karmada.config}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "One kubeconfig, four contexts: the control plane and three members"
run kubectl config get-contexts

step "Members are real clusters with fake nodes in two regions and three zones"
for m in member1 member2 member3; do
  run kubectl --context "$m" get nodes -L topology.kubernetes.io/region,topology.kubernetes.io/zone
done

step "The control plane serves Karmada's API (and the MCS API)"
run kubectl --context karmada-apiserver api-resources --categories=karmada
run kubectl --context karmada-apiserver get crd -o name

step "Karmada's quick-start YAML applies unchanged"
run kubectl --context karmada-apiserver apply -f "$root/docs/samples/quickstart/"
run kubectl --context karmada-apiserver get propagationpolicy,overridepolicy

step "On the control plane a Deployment is a template: it never runs there"
run kubectl --context karmada-apiserver get deployment nginx
run kubectl --context karmada-apiserver get pods

step "The API rejects a bad policy and names the field"
printf '$ kubectl apply -f - <<< "a policy with weight 0"\n'
kubectl --context karmada-apiserver apply -f - <<'YAML' || true
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata:
  name: bad-weight
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: nginx}
  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [member1]}, weight: 0}
YAML

step "The plugin"
run kubectl karmada version

cat <<EOT

That is the foundation. Next: "kubectl karmada join" and the controllers that
propagate the nginx template into member1 and member2.
Tear everything down with: make local-down
EOT
