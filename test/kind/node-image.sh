#!/usr/bin/env bash
# Builds the kind node image the kind clusters run, with no registry: every
# piece comes from Debian's packages or the Go module proxy, and every image
# kubeadm asks for is built here and imported into the node's containerd.
# Prints the image's name. A second run finds the image and builds nothing.
#
#   rootfs   debootstrap of Debian bookworm with systemd, containerd, runc,
#            CNI plugins, iptables, conntrack... (about 3 minutes, cached)
#   binaries kubelet, kubeadm, kube-proxy from the same k8s.io/kubernetes
#            module as test/tools (the control plane, etcd and kubectl come
#            from test/tools/install.sh), CoreDNS, and our pause
#   images   FROM scratch images of the static binaries, tagged as kubeadm
#            expects; kube-proxy gets a slim root with just iptables
#   node     the rootfs with kind's node files (from the sigs.k8s.io/kind
#            module), our network guard, and the images above pre-imported
#
# Needs root and a Docker engine (test/kind/docker.sh). The cache lives in
# $KARMADA_KIND_CACHE, by default ${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-karmada/kind.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
log() { echo "node-image.sh: $*" >&2; }

# shellcheck source=../tools/versions.sh
. "$root/test/tools/versions.sh"
kind_version=$(required sigs.k8s.io/kind "$root/go.mod")
coredns_version=v1.15.0
suite=bookworm
# The tags kubeadm v1.34 asks for (kubeadm config images list); kind's
# containerd config asks for pause:3.10 as the sandbox image.
coredns_tag=v1.12.1
pause_tags="3.10.1 3.10"
etcd_tag=${etcd_version#v}-0
# Bump when the recipe changes, so an old image is never reused by mistake.
recipe=r1
node_image="kubectl-karmada/kind-node:$kube_version-kind$kind_version-$recipe"

if docker image inspect "$node_image" >/dev/null 2>&1; then
  echo "$node_image"
  exit 0
fi
# From here on only the image's name goes to stdout (fd 3); everything the
# tools print goes to stderr.
exec 3>&1 1>&2

for tool in debootstrap readelf; do
  command -v "$tool" >/dev/null 2>&1 && continue
  log "installing debootstrap and binutils from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap binutils >/dev/null
  break
done

cache=${KARMADA_KIND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-karmada/kind}
bin="$cache/bin-$kube_version-coredns-$coredns_version"
mkdir -p "$bin"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
total=$SECONDS

# dbuild ARGS...: docker build, quiet unless it fails (Docker 20.10's
# legacy builder prints a deprecation notice on every call).
dbuild() {
  local out
  out=$(docker build -q "$@" 2>&1) || { echo "$out" >&2; return 1; }
}

step() { # NAME CMD...: runs CMD and says how long it took
  local name=$1; shift
  log "$name"
  local start=$SECONDS
  "$@"
  log "$name: done in $((SECONDS - start))s"
}

# --- binaries --------------------------------------------------------------
tools=$("$root/test/tools/install.sh")
export CGO_ENABLED=0
kube_ldflags="-s -w $kube_ldflags"
build_kube() {
  (cd "$root/test/tools/kube" && go build -trimpath -ldflags "$kube_ldflags" -o "$bin/.$1.tmp" "k8s.io/kubernetes/cmd/$1")
  mv "$bin/.$1.tmp" "$bin/$1"
}
for c in kubelet kubeadm kube-proxy; do
  [ -x "$bin/$c" ] || step "building $c $kube_version (first run only)" build_kube "$c"
done
build_coredns() {
  GOBIN="$bin/.gobin" go install -trimpath -ldflags '-s -w' "github.com/coredns/coredns@$coredns_version"
  mv "$bin/.gobin/coredns" "$bin/coredns"
  rmdir "$bin/.gobin"
}
[ -x "$bin/coredns" ] || step "building CoreDNS $coredns_version (first run only)" build_coredns
(cd "$root" && go build -trimpath -ldflags '-s -w' -o "$work/pause" ./test/kind/images/pause)

# --- root filesystem ----------------------------------------------------------
rootfs_tar="$cache/rootfs-$suite-$recipe.tar"
packages=systemd,systemd-sysv,dbus,containerd,runc,containernetworking-plugins,iptables,nftables,ebtables,conntrack,iproute2,ethtool,socat,kmod,util-linux,mount,libseccomp2,pigz,ca-certificates,procps,jq,bash
make_rootfs() {
  local dir="$work/rootfs"
  debootstrap --variant=minbase --include="$packages" "$suite" "$dir" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; return 1; }
  chroot "$dir" apt-get clean
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/locale/*
  tar -C "$dir" --numeric-owner -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$dir"
}
[ -f "$rootfs_tar" ] || step "assembling a Debian $suite root filesystem (first run only)" make_rootfs

# --- images kubeadm expects ---------------------------------------------------
images="$work/images"
mkdir -p "$images"
# scratch_image TAG BINARY NAME: an image holding one static binary at
# /usr/local/bin/NAME, which is where upstream's images keep theirs.
scratch_image() {
  local ctx="$work/ctx-$3"
  mkdir -p "$ctx"
  cp "$2" "$ctx/$3"
  printf 'FROM scratch\nCOPY %s /usr/local/bin/%s\nENV PATH=/usr/local/bin\nENTRYPOINT ["/usr/local/bin/%s"]\n' "$3" "$3" "$3" >"$ctx/Dockerfile"
  dbuild -t "$1" "$ctx"
}
build_images() {
  local tags=()
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    scratch_image "registry.k8s.io/$c:$kube_version" "$tools/$c" "$c"
    tags+=("registry.k8s.io/$c:$kube_version")
  done
  scratch_image "registry.k8s.io/etcd:$etcd_tag" "$tools/etcd" etcd
  tags+=("registry.k8s.io/etcd:$etcd_tag")
  # CoreDNS's image keeps its binary at /coredns.
  mkdir -p "$work/ctx-coredns"
  cp "$bin/coredns" "$work/ctx-coredns/coredns"
  printf 'FROM scratch\nCOPY coredns /coredns\nENTRYPOINT ["/coredns"]\n' >"$work/ctx-coredns/Dockerfile"
  dbuild -t "registry.k8s.io/coredns/coredns:$coredns_tag" "$work/ctx-coredns"
  tags+=("registry.k8s.io/coredns/coredns:$coredns_tag")
  mkdir -p "$work/ctx-pause"
  cp "$work/pause" "$work/ctx-pause/pause"
  printf 'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause"]\n' >"$work/ctx-pause/Dockerfile"
  for t in $pause_tags; do
    dbuild -t "registry.k8s.io/pause:$t" "$work/ctx-pause"
    tags+=("registry.k8s.io/pause:$t")
  done
  slim_kube_proxy
  tags+=("registry.k8s.io/kube-proxy:$kube_version")
  docker save -o "$images/all.tar" "${tags[@]}"
}
# kube-proxy runs iptables: its image is iptables (nft backend), its
# extensions and the libraries they load, taken from the root filesystem.
slim_kube_proxy() {
  local full="$work/proxy-full" ctx="$work/ctx-kube-proxy"
  mkdir -p "$full" "$ctx/root/usr/local/bin" "$ctx/root/usr/sbin"
  tar -C "$full" -xf "$rootfs_tar" ./usr/sbin ./usr/lib ./usr/lib64 ./etc
  local files=(usr/sbin/xtables-nft-multi usr/sbin/conntrack)
  for f in "${files[@]}"; do
    mkdir -p "$ctx/root/$(dirname "$f")"
    cp -a "$full/$f" "$ctx/root/$f"
  done
  for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    ln -s xtables-nft-multi "$ctx/root/usr/sbin/$t"
  done
  mkdir -p "$ctx/root/usr/lib/x86_64-linux-gnu" "$ctx/root/etc"
  cp -a "$full/usr/lib/x86_64-linux-gnu/xtables" "$ctx/root/usr/lib/x86_64-linux-gnu/"
  cp -a "$full"/etc/{ethertypes,protocols,services} "$ctx/root/etc/"
  # The shared libraries the binaries and extensions need, found in the
  # root filesystem's own ld.so (no ldd on the host is trusted for it).
  local libs
  libs=$(for f in "${files[@]/#/$full/}" "$full"/usr/lib/x86_64-linux-gnu/xtables/*.so; do
    readelf -d "$f" | awk -F'[][]' '/NEEDED/ {print $2}'
  done | sort -u)
  copy_lib() {
    local name=$1 found
    found=$(find "$full/usr/lib/x86_64-linux-gnu" -maxdepth 1 -name "$name" 2>/dev/null | head -1)
    [ -n "$found" ] || { log "kube-proxy image: library $name not found"; return 1; }
    if [ -e "$ctx/root/usr/lib/x86_64-linux-gnu/$name" ]; then return 0; fi
    cp -L "$found" "$ctx/root/usr/lib/x86_64-linux-gnu/$name"
    local dep
    for dep in $(readelf -d "$found" | awk -F'[][]' '/NEEDED/ {print $2}'); do copy_lib "$dep"; done
  }
  for l in $libs; do copy_lib "$l"; done
  mkdir -p "$ctx/root/lib64"
  cp -L "$full/usr/lib64/ld-linux-x86-64.so.2" "$ctx/root/lib64/"
  ln -s usr/lib "$ctx/root/lib"
  cp "$bin/kube-proxy" "$ctx/root/usr/local/bin/kube-proxy"
  printf 'FROM scratch\nCOPY root/ /\nENV PATH=/usr/local/bin:/usr/sbin:/usr/bin\nENTRYPOINT ["/usr/local/bin/kube-proxy"]\n' >"$ctx/Dockerfile"
  dbuild -t "registry.k8s.io/kube-proxy:$kube_version" "$ctx"
  rm -rf "$full"
}
step "building the images kubeadm expects" build_images

# --- the node -----------------------------------------------------------------
kind_files="$(cd "$root" && go list -m -f '{{.Dir}}' sigs.k8s.io/kind)/images/base/files"
make_node() {
  local dir="$work/node"
  mkdir -p "$dir"
  tar -C "$dir" -xf "$rootfs_tar"
  # kind's node files, laid out as kind's base image Dockerfile lays them.
  install -m 0755 "$kind_files"/usr/local/bin/* "$dir/usr/local/bin/"
  mkdir -p "$dir/kind/bin" "$dir/LICENSES" "$dir/etc/containerd" "$dir/etc/systemd/system/kubelet.service.d"
  install -m 0644 "$kind_files"/kind/README.txt "$dir/kind/"
  install -m 0755 "$kind_files"/kind/bin/* "$dir/kind/bin/"
  install -m 0644 "$kind_files"/LICENSES/* "$dir/LICENSES/"
  install -m 0644 "$kind_files"/etc/crictl.yaml "$dir/etc/"
  install -m 0644 "$kind_files"/etc/containerd/* "$dir/etc/containerd/"
  install -m 0644 "$kind_files"/etc/default/* "$dir/etc/default/"
  install -m 0644 "$kind_files"/etc/sysctl.d/* "$dir/etc/sysctl.d/"
  find "$kind_files/etc/systemd/system" -maxdepth 1 -type f -exec install -m 0644 {} "$dir/etc/systemd/system/" \;
  install -m 0644 "$kind_files"/etc/systemd/system/kubelet.service.d/* "$dir/etc/systemd/system/kubelet.service.d/"
  # Our machines withhold CAP_SYS_RESOURCE, so runc in the node cannot
  # give a pod's sandbox a negative oom_score_adj and no static pod would
  # start; kind does the same for rootless nodes.
  sed -i 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' "$dir/etc/containerd/config.toml"
  # Debian keeps containerd in /usr/bin and CNI plugins in /usr/lib/cni.
  ln -sf /usr/bin/containerd "$dir/usr/local/bin/containerd"
  mkdir -p "$dir/opt/cni/bin" "$dir/etc/cni/net.d" "$dir/etc/kubernetes/manifests"
  for p in "$dir"/usr/lib/cni/*; do ln -sf "/usr/lib/cni/$(basename "$p")" "$dir/opt/cni/bin/"; done
  install -m 0755 "$bin/kubelet" "$bin/kubeadm" "$tools/kubectl" "$dir/usr/bin/"
  # The network guard (see network-guard.sh) runs before containerd.
  install -m 0755 "$here/node/network-guard.sh" "$dir/kind/bin/"
  install -m 0644 "$here/node/network-guard.service" "$dir/etc/systemd/system/"
  # kind's unit clean-up, so only what a node needs starts.
  chroot "$dir" sh -euc '
    find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
    rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/*
    rm -f /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev*
    rm -f /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
    echo "ReadKMsg=no" >> /etc/systemd/journald.conf
    systemctl enable kubelet.service containerd.service undo-mount-hacks.service network-guard.service
    systemctl mask systemd-binfmt.service'
  echo "$kube_version" >"$dir/kind/version"
  # containerd's base runtime spec with kind's product-files hook.
  chroot "$dir" sh -c 'ctr oci spec' |
    jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
    jq 'del(.process.rlimits)' >"$dir/etc/containerd/cri-base.json"
  tar -C "$dir" --numeric-owner -c . |
    docker import --change 'ENV container=docker' \
      --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' - "$node_image-base"
  rm -rf "$dir"
  # Pre-import the images into the node's containerd, unpacked later by
  # the CRI on first use (overlay on Docker's overlay cannot unpack here).
  local ctr
  ctr=$(docker run -d --privileged --entrypoint /usr/bin/containerd -v "$images:/images:ro" "$node_image-base")
  for _ in $(seq 1 30); do docker exec "$ctr" ctr version >/dev/null 2>&1 && break; sleep 1; done
  docker exec "$ctr" ctr -n k8s.io images import --no-unpack --all-platforms --digests /images/all.tar >/dev/null
  docker exec "$ctr" ctr -n k8s.io images ls -q >"$work/imported"
  docker stop -t 5 "$ctr"
  docker commit --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
    --change 'ENV container=docker' "$ctr" "$node_image"
  docker rm "$ctr"
  docker rmi "$node_image-base"
  log "images in the node: $(grep -c . "$work/imported")"
}
step "assembling the node image $node_image" make_node
log "node image ready in $((SECONDS - total))s ($(docker image inspect -f '{{.Size}}' "$node_image" | awk '{printf "%d MB", $1/1e6}'))"
echo "$node_image" >&3
