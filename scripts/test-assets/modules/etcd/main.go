// Command etcd is the upstream etcd server (go.etcd.io/etcd/server/v3/etcdmain),
// built from a wrapper module because etcd's own go.mod files use replace directives.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
