#!/usr/bin/env bash
# Installs what the picture tests (test/picture) need when it is missing: Chromium and Graphviz, from the
# distribution's packages (apt-get; root, or passwordless sudo). Nothing is done when both are present, and
# the package lists are refreshed only when the install cannot find a package (cache-friendly). Fails with
# what to do when it cannot install: the tests would fail anyway, never skip.
set -euo pipefail
missing=()
if [ -z "${MESHSPEC_CHROMIUM:-}" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && ! command -v google-chrome >/dev/null; then
  missing+=(chromium)
fi
if [ -z "${MESHSPEC_DOT:-}" ] && ! command -v dot >/dev/null; then
  missing+=(graphviz)
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "==> picture tools present (chromium, dot)"
  exit 0
fi
fail() {
  echo "error: the picture tests need ${missing[*]} and $1." >&2
  echo "       Install them yourself (Debian/Ubuntu: apt-get install -y ${missing[*]}), or point MESHSPEC_CHROMIUM / MESHSPEC_DOT at the binaries." >&2
  exit 1
}
command -v apt-get >/dev/null || fail "this machine has no apt-get"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else fail "installing them needs root (or passwordless sudo)"; fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "==> installing ${missing[*]} for the picture tests"
if ! "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${as_root[@]}" apt-get update || fail "apt-get update failed"
  "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" || fail "apt-get install failed"
fi
