//go:build tools

// Package tools pins the helm main built by provision.sh.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
