#!/usr/bin/env bash
# Installs everything meshspec needs to build and test from a fresh clone: Node 24 + pnpm (local to the
# repo), the workspace's dependencies, and a build of every package.
set -euo pipefail
source "$(dirname "$0")/env.sh"
meshspec_provision_node
cd "$MESHSPEC_ROOT"
echo "==> node $(node --version), pnpm $(pnpm --version)" >&2
pnpm install
pnpm build
