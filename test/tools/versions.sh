# Sourced by install.sh and test/kind/node-image.sh: the pinned versions,
# read from the tools modules themselves so there is one place to change
# them, and the link flags that stamp Kubernetes binaries as upstream
# release builds do (so /version, "kubectl version" and the nodes report
# v1.34.x rather than v0.0.0-master).
tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

required() { # MODULE GOMOD: the version GOMOD requires of MODULE
  awk -v m="$1" '$1 == m {print $2; exit} $1 == "require" && $2 == m {print $3; exit}' "$2"
}
kube_version=$(required k8s.io/kubernetes "$tools_dir/kube/go.mod")
etcd_version=$(required go.etcd.io/etcd/server/v3 "$tools_dir/etcd/go.mod")

kube_major=${kube_version#v}; kube_major=${kube_major%%.*}
kube_minor=${kube_version#v$kube_major.}; kube_minor=${kube_minor%%.*}
kube_ldflags="-X k8s.io/component-base/version.gitVersion=$kube_version -X k8s.io/component-base/version.gitMajor=$kube_major -X k8s.io/component-base/version.gitMinor=$kube_minor -X k8s.io/component-base/version.gitTreeState=clean"
kube_ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$kube_version -X k8s.io/client-go/pkg/version.gitMajor=$kube_major -X k8s.io/client-go/pkg/version.gitMinor=$kube_minor"
