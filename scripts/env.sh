# Sourced by the other scripts: puts the project's own Node (>= 22, from the npm registry) and pinned
# pnpm first on PATH. The machine may ship an older Node; we never depend on it past bootstrapping.
MESHSPEC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MESHSPEC_NODE_VERSION="24.21.0"
MESHSPEC_PNPM_VERSION="10.34.9"
MESHSPEC_TOOLS="$MESHSPEC_ROOT/.tools"
export PATH="$MESHSPEC_TOOLS/node_modules/.bin:$PATH"

meshspec_provision_node() {
  local have=""
  [ -x "$MESHSPEC_TOOLS/node_modules/.bin/node" ] && have="$("$MESHSPEC_TOOLS/node_modules/.bin/node" --version 2>/dev/null)"
  if [ "$have" != "v$MESHSPEC_NODE_VERSION" ] || [ ! -x "$MESHSPEC_TOOLS/node_modules/.bin/pnpm" ]; then
    echo "==> provisioning node $MESHSPEC_NODE_VERSION and pnpm $MESHSPEC_PNPM_VERSION into .tools/" >&2
    mkdir -p "$MESHSPEC_TOOLS"
    # Bootstrapping needs some npm; the machine's is fine for fetching packages.
    (cd "$MESHSPEC_TOOLS" && [ -f package.json ] || echo '{"private":true}' > package.json)
    npm install --prefix "$MESHSPEC_TOOLS" --no-audit --no-fund --loglevel=error \
      "node@$MESHSPEC_NODE_VERSION" "pnpm@$MESHSPEC_PNPM_VERSION" >&2
  fi
  hash -r
}
