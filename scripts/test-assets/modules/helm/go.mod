// Wrapper module pinning the Helm v3 CLI for meshspec integration tests (see ../../provision.sh).
module meshspec.local/test-assets/helm

go 1.26.0

require helm.sh/helm/v3 v3.22.0
