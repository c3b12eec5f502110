#!/usr/bin/env bash
# Builds the pinned upstream binaries the local clusters run (etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler, kwok, kwokctl,
# and kubectl for the demo)
# from the Go module proxy into a cache folder keyed by version, and prints
# that folder. A second run finds everything in place and builds nothing.
#
# The cache lives in $KARMADA_TOOLS_CACHE, by default
# ${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-karmada/tools.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# shellcheck source=versions.sh
. "$here/versions.sh"
kwok_version=v0.7.0

cache=${KARMADA_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-karmada/tools}
# The suffix changes whenever the way we build changes, so old caches are
# not reused by mistake.
bin="$cache/kube-$kube_version-etcd-$etcd_version-kwok-$kwok_version-b2"
mkdir -p "$bin"

log() { echo "install.sh: $*" >&2; }

# build NAME CMD... runs CMD only when $bin/NAME is missing; it writes to a
# temporary name first so an interrupted build never leaves a broken binary.
build() {
  local name=$1; shift
  [ -x "$bin/$name" ] && return 0
  log "building $name (first run only)"
  local start=$SECONDS
  "$@"
  log "built $name in $((SECONDS - start))s"
}

export CGO_ENABLED=0
for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  build "$c" bash -c "cd '$here/kube' && go build -trimpath -ldflags '$kube_ldflags' -o '$bin/.$c.tmp' k8s.io/kubernetes/cmd/$c && mv '$bin/.$c.tmp' '$bin/$c'"
done
build etcd bash -c "cd '$here/etcd' && go build -trimpath -o '$bin/.etcd.tmp' . && mv '$bin/.etcd.tmp' '$bin/etcd'"
for c in kwok kwokctl; do
  build "$c" bash -c "GOBIN='$bin/.gobin' go install sigs.k8s.io/kwok/cmd/$c@$kwok_version && mv '$bin/.gobin/$c' '$bin/$c'"
done
rmdir "$bin/.gobin" 2>/dev/null || true

echo "$bin"
