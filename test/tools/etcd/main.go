// Command etcd is upstream etcd built from the Go module proxy, so the local
// test clusters need no downloads outside it.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
