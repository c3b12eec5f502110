#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the kind clusters. Where one
# already runs (a laptop with Docker Desktop or a distribution's service)
# this does nothing. Otherwise, as root, it installs Debian's docker.io,
# starts dockerd in the background and waits for it.
#
# Some machines withhold a capability from every process (ours lack
# CAP_SYS_RESOURCE); Docker asks runc for all of them when a container is
# --privileged, as kind's nodes are, and runc then refuses. There, and only
# there, dockerd gets runcwrap (test/kind/runcwrap) as its default runtime:
# it removes exactly the missing capabilities before calling runc.
#
# Safe to run again at any time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "docker.sh: $*" >&2; }

if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  log "no Docker engine answers, and starting one needs root; start Docker and run again"
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io"
  start=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
  log "installed docker.io in $((SECONDS - start))s"
fi

# Does this process lack any capability the kernel knows? CapBnd is a hex
# mask; cap_last_cap is the highest capability number.
last=$(cat /proc/sys/kernel/cap_last_cap)
bnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
want=$(( (1 << (last + 1)) - 1 ))
mkdir -p /etc/docker
if (( (0x$bnd & want) != want )); then
  wrapper=/usr/local/libexec/kubectl-karmada/runcwrap
  log "this machine withholds capabilities (CapBnd $bnd): dockerd runs containers through $wrapper"
  mkdir -p "$(dirname "$wrapper")"
  (cd "$here/../.." && CGO_ENABLED=0 go build -trimpath -o "$wrapper.tmp" ./test/kind/runcwrap && mv "$wrapper.tmp" "$wrapper")
  cat >/etc/docker/daemon.json <<JSON
{"runtimes": {"runcwrap": {"path": "$wrapper"}}, "default-runtime": "runcwrap"}
JSON
fi

if ! pgrep -x dockerd >/dev/null; then
  log "starting dockerd (log: /var/log/dockerd.log)"
  # containerd is started by dockerd itself when none runs.
  setsid nohup dockerd >/var/log/dockerd.log 2>&1 </dev/null &
fi
for _ in $(seq 1 60); do
  if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    log "Docker $(docker version --format '{{.Server.Version}}') answers"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60s; its log ends with:"
tail -20 /var/log/dockerd.log >&2 || true
exit 1
