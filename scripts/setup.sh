#!/usr/bin/env bash
# Installs everything meshspec needs to build and test from a fresh clone: Node 24 + pnpm (local to the
# repo), the workspace's dependencies, a build of every package, and the pinned real control-plane
# binaries the integration tests run (cached outside the repo; MESHSPEC_SKIP_ASSETS=1 skips them).
set -euo pipefail
source "$(dirname "$0")/env.sh"
meshspec_provision_node
cd "$MESHSPEC_ROOT"
echo "==> node $(node --version), pnpm $(pnpm --version)" >&2
pnpm install
pnpm build
chmod +x packages/cli/dist/bin.js
if [ "${MESHSPEC_SKIP_ASSETS:-}" = "1" ]; then
  echo "==> skipping test assets (MESHSPEC_SKIP_ASSETS=1); integration tests will fail until you run scripts/test-assets/provision.sh" >&2
else
  echo "==> provisioning integration-test binaries (cached in ${MESHSPEC_ASSETS_DIR:-~/.cache/meshspec/assets})" >&2
  bash scripts/test-assets/provision.sh >/dev/null
fi
