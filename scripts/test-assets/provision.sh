#!/usr/bin/env bash
# Provision pinned real binaries (Kubernetes control plane, etcd, kwok, helm, ...) for
# meshspec integration tests into a cache directory outside the repo.
#
# Usage: scripts/test-assets/provision.sh [--check] [--print-dir] [NAME...]
#   (no option)  resolve or build every asset; progress on stderr, `export ...` lines on stdout
#                (so `eval "$(scripts/test-assets/provision.sh)"` works)
#   --print-dir  as above, but print only the resolved bin dir on stdout
#   --check      never build; exit 1 naming the command to run if anything is missing
#   NAME...      limit to these assets (default: all available ones)
#
# Lookup order per binary: $TEST_ASSET_<NAME> (e.g. TEST_ASSET_KUBE_APISERVER), then
# $KUBEBUILDER_ASSETS/<name>, then the cache, else `go build` from scripts/test-assets/modules/<module>.
# Environment: MESHSPEC_ASSETS_DIR (cache root, default ~/.cache/meshspec/assets),
#              MESHSPEC_ASSETS_GO_P (go build -p, default 2).
# See README.md next to this file.
set -euo pipefail

# Go machines install it in /usr/local/go without always putting it on a non-login shell's PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULES="$HERE/modules"
ASSETS_ROOT="${MESHSPEC_ASSETS_DIR:-$HOME/.cache/meshspec/assets}"
GO_P="${MESHSPEC_ASSETS_GO_P:-2}"

# ---- pinned versions (must match modules/*/go.mod) -------------------------------------------
K8S_VERSION=v1.32.13
ETCD_VERSION=v3.5.35
KWOK_VERSION=v0.8.0
HELM_VERSION=v3.22.0
HELM_K8S_MINOR=37 # helm's Makefile derives this from its k8s.io/client-go (v0.37.x)
LINKERD_VERSION=stable-2.13.3

# name -> module, module -> version / packages / build recipe
# kwok-stages.yaml is a data file (kwok's default node/pod Stage config, which the standalone
# kwok controller needs via --config; kwokctl writes the same stages for its clusters).
ALL_NAMES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok kwokctl kwok-stages.yaml helm linkerd)
is_file_asset() { [[ "$1" == *.yaml ]]; }
module_of() {
  case "$1" in
    kube-apiserver|kube-controller-manager|kube-scheduler) echo kubernetes ;;
    etcd) echo etcd ;;
    kwok|kwokctl|kwok-stages.yaml) echo kwok ;;
    helm) echo helm ;;
    linkerd) echo linkerd ;;
    *) echo "unknown asset: $1" >&2; return 1 ;;
  esac
}
version_of_module() {
  case "$1" in
    kubernetes) echo "$K8S_VERSION" ;; etcd) echo "$ETCD_VERSION" ;; kwok) echo "$KWOK_VERSION" ;;
    helm) echo "$HELM_VERSION" ;; linkerd) echo "$LINKERD_VERSION" ;;
  esac
}
# "binary=package" pairs built by one `go build` invocation
packages_of_module() {
  case "$1" in
    kubernetes) echo "kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler" ;;
    etcd) echo "etcd=." ;;
    kwok) echo "kwok=sigs.k8s.io/kwok/cmd/kwok kwokctl=sigs.k8s.io/kwok/cmd/kwokctl" ;;
    helm) echo "helm=helm.sh/helm/v3/cmd/helm" ;;
    linkerd) echo "linkerd=github.com/linkerd/linkerd2/cli" ;;
  esac
}
# Prints the go build flags (one per line) for a module. Part of the cache key.
buildflags_of_module() {
  local ld=""
  case "$1" in
    kubernetes)
      for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=32"
        ld+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
      done
      printf '%s\n' -trimpath -ldflags "-s -w$ld" ;;
    etcd)
      printf '%s\n' -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" ;;
    kwok)
      printf '%s\n' -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" ;;
    helm)
      ld="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
      ld+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_K8S_MINOR"
      ld+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_K8S_MINOR"
      printf '%s\n' -trimpath -ldflags "$ld" ;;
    linkerd)
      # No -trimpath and no `prod` tag: the CLI reads charts/ from its module-cache source dir.
      printf '%s\n' -ldflags "-X github.com/linkerd/linkerd2/pkg/version.Version=$LINKERD_VERSION" ;;
  esac
}
# command (after the binary) that prints the version, and the string it must contain
version_cmd() {
  case "$1" in
    kube-apiserver|kube-controller-manager|kube-scheduler) echo "--version|$K8S_VERSION" ;;
    etcd) echo "--version|${ETCD_VERSION#v}" ;;
    kwok|kwokctl) echo "--version|${KWOK_VERSION#v}" ;;
    helm) echo "version --short|$HELM_VERSION" ;;
    linkerd) echo "version --client --short|$LINKERD_VERSION" ;;
  esac
}
module_available() { [[ -f "$MODULES/$1/go.mod" && -f "$MODULES/$1/go.sum" ]]; }

env_var_of() { echo "TEST_ASSET_$(echo "${1%.yaml}" | tr 'a-z-' 'A-Z_')"; }
env_override() { local v; v="$(env_var_of "$1")"; printf '%s' "${!v:-}"; }
log() { printf '[test-assets %4ss] %s\n' "$SECONDS" "$*" >&2; }
die() { printf '[test-assets] ERROR: %s\n' "$*" >&2; exit 1; }
sha() { sha256sum | cut -c1-12; }

# Cache key of one module: its wrapper files + build recipe + platform.
module_key() {
  local m="$1"
  {
    echo "$m $(version_of_module "$m") $(go_platform)"
    buildflags_of_module "$m"
    (cd "$MODULES/$m" && find . -maxdepth 1 -type f \( -name 'go.mod' -o -name 'go.sum' -o -name '*.go' \) | LC_ALL=C sort | xargs sha256sum)
  } | sha
}
_platform=""
go_platform() {
  if [[ -z "$_platform" ]]; then
    if command -v go >/dev/null 2>&1; then _platform="$(go env GOOS)-$(go env GOARCH)"
    else _platform="$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')"; fi
  fi
  echo "$_platform"
}

# ---- arguments ---------------------------------------------------------------------------------
MODE=provision PRINT_DIR=0 NAMES=()
while (($#)); do
  case "$1" in
    --check) MODE=check ;;
    --print-dir) PRINT_DIR=1 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) module_of "$1" >/dev/null || exit 2; NAMES+=("$1") ;;
  esac
  shift
done
EXPLICIT=0
if ((${#NAMES[@]} == 0)); then
  for n in "${ALL_NAMES[@]}"; do
    if module_available "$(module_of "$n")" || [[ -n "$(env_override "$n" 2>/dev/null || true)" ]]; then NAMES+=("$n"); fi
  done
else
  EXPLICIT=1
fi

# ---- directories -------------------------------------------------------------------------------
# The bin dir key combines the keys of all wrapper modules, so any pin change gives a new dir.
ALL_KEYS=""
for m in kubernetes etcd kwok helm linkerd; do
  if module_available "$m"; then ALL_KEYS+="$m=$(module_key "$m") "; fi
done
VERSION_KEY="k8s-$K8S_VERSION-$(echo "$ALL_KEYS" | sha)"
CACHE_DIR="$ASSETS_ROOT/$VERSION_KEY"
BIN_DIR="$CACHE_DIR/bin"
STORE="$ASSETS_ROOT/store"

store_dir_of_module() { local m="$1"; echo "$STORE/$m-$(version_of_module "$m")-$(module_key "$m")"; }

# Resolve one binary without building. Sets RESOLVED_PATH / RESOLVED_FROM.
resolve() {
  local name="$1" p kb
  RESOLVED_PATH="" RESOLVED_FROM=""
  p="$(env_override "$name")"
  if [[ -n "$p" ]]; then
    if is_file_asset "$name"; then [[ -f "$p" ]] || die "$(env_var_of "$name")=$p is not a file"
    else [[ -x "$p" ]] || die "$(env_var_of "$name")=$p is not an executable file"; fi
    RESOLVED_PATH="$(readlink -f "$p")" RESOLVED_FROM="env:$(env_var_of "$name")"; return 0
  fi
  kb="${KUBEBUILDER_ASSETS:-}"
  if [[ -n "$kb" && ( -x "$kb/$name" || -f "$kb/$name" ) && "$(readlink -f "$kb")" != "$(readlink -f "$BIN_DIR" 2>/dev/null || echo "$BIN_DIR")" ]]; then
    # (our own bin dir as KUBEBUILDER_ASSETS counts as the cache, below)
    case "$(readlink -f "$kb/$name")" in
      "$ASSETS_ROOT"/*) ;; # a link into our cache from an older key: ignore, use the current pin
      *) RESOLVED_PATH="$(readlink -f "$kb/$name")" RESOLVED_FROM="KUBEBUILDER_ASSETS"; return 0 ;;
    esac
  fi
  local m; m="$(module_of "$name")"
  if module_available "$m"; then
    p="$(store_dir_of_module "$m")/$name"
    if [[ -x "$p" || -f "$p" ]]; then RESOLVED_PATH="$p" RESOLVED_FROM="cache"; return 0; fi
  fi
  return 1
}

verify_binary() {
  local name="$1" path="$2" spec args want out
  spec="$(version_cmd "$name")"; args="${spec%%|*}"; want="${spec#*|}"
  # shellcheck disable=SC2086
  out="$("$path" $args 2>&1 | head -n 5)" || true
  if [[ "$out" != *"$want"* ]]; then
    log "$name: version check failed: \`$name $args\` printed: $out"
    return 1
  fi
  log "$name: $(echo "$out" | head -n 1)"
}

build_module() {
  local m="$1" dest tmp start pairs pair bin pkg flags=() pkgs=() out
  module_available "$m" || die "no wrapper module for '$m' in $MODULES/$m (see README.md)"
  command -v go >/dev/null 2>&1 || die "go is not on PATH: Go >= 1.26 is needed to build test assets"
  dest="$(store_dir_of_module "$m")"
  mkdir -p "$STORE"
  tmp="$(mktemp -d "$STORE/.build-$m.XXXXXX")"
  BUILD_TMP="$tmp"
  start=$SECONDS
  mapfile -t flags < <(buildflags_of_module "$m")
  pairs="$(packages_of_module "$m")"
  for pair in $pairs; do pkgs+=("${pair#*=}"); done
  log "$m $(version_of_module "$m"): go build -p $GO_P in $MODULES/$m (cold on 2 cores: kubernetes ~8 min, kwok ~8, helm ~3.5, etcd ~1.5) ..."
  # Heartbeat while go compiles silently.
  (
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    while :; do sleep 60 & sp=$!; wait "$sp"; log "$m: still building ($((SECONDS - start))s)"; done
  ) &
  TICKER_PID=$!
  # One `go build` for several mains writes each as <dir>/<last path element>.
  (
    cd "$MODULES/$m"
    export GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false"
    [[ "$m" == linkerd ]] || export CGO_ENABLED=0
    # Fetch first, with retries: one passing proxy error must not cost a 90-minute CI run.
    for attempt in 1 2 3; do
      go mod download && break
      ((attempt < 3)) || exit 1
      echo "$m: go mod download failed (attempt $attempt of 3); retrying in 15s" >&2
      sleep 15
    done
    if ((${#pkgs[@]} > 1)); then
      go build -p "$GO_P" "${flags[@]}" -o "$tmp/" "${pkgs[@]}"
    else
      go build -p "$GO_P" "${flags[@]}" -o "$tmp/${pairs%%=*}" "${pkgs[0]}"
    fi
  ) >&2 || die "$m: go build failed"
  kill "$TICKER_PID" 2>/dev/null || true; wait "$TICKER_PID" 2>/dev/null || true; TICKER_PID=""
  for pair in $pairs; do
    bin="${pair%%=*}" pkg="${pair#*=}"
    [[ -x "$tmp/$bin" ]] || die "$m: $bin not produced (package $pkg)"
    verify_binary "$bin" "$tmp/$bin" || die "$m: $bin failed its version check"
  done
  if [[ "$m" == kwok ]]; then
    # kwok's default Stages, as kwokctl's binary runtime uses them (node-fast init, heartbeat
    # with lease, pod-fast ready/complete/delete), taken from the kwok module source.
    local src
    src="$(cd "$MODULES/kwok" && GOWORK=off GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
    {
      echo "# kwok $KWOK_VERSION default stages (from sigs.k8s.io/kwok/kustomize/stage); pass to kwok --config"
      for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
        pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
        echo "---"; grep -v '^---$' "$src/kustomize/stage/$f"
      done
    } >"$tmp/kwok-stages.yaml"
  fi
  {
    echo "module=$m version=$(version_of_module "$m") go=$(go env GOVERSION) built=$(date -u +%FT%TZ) seconds=$((SECONDS - start))"
    buildflags_of_module "$m"
  } >"$tmp/BUILDINFO"
  chmod 755 "$tmp"
  rm -rf "$dest.old"; [[ -e "$dest" ]] && mv "$dest" "$dest.old"
  mv "$tmp" "$dest"
  rm -rf "$dest.old"
  BUILD_TMP=""
  log "$m $(version_of_module "$m"): built in $((SECONDS - start))s -> $dest"
}

json_str() { local s="${1//\\/\\\\}"; s="${s//\"/\\\"}"; printf '"%s"' "$s"; }

BUILD_TMP="" TICKER_PID=""
trap '[[ -z "$TICKER_PID" ]] || kill "$TICKER_PID" 2>/dev/null; [[ -z "$BUILD_TMP" ]] || rm -rf "$BUILD_TMP"' EXIT

# ---- main --------------------------------------------------------------------------------------
declare -A PATHS=() FROM=()
MISSING=()
for name in "${NAMES[@]}"; do
  if resolve "$name"; then
    PATHS[$name]="$RESOLVED_PATH" FROM[$name]="$RESOLVED_FROM"
  else
    MISSING+=("$name")
  fi
done

if [[ "$MODE" == check ]]; then
  if ((${#MISSING[@]})); then
    echo "meshspec test assets missing: ${MISSING[*]} (looked in TEST_ASSET_*, \$KUBEBUILDER_ASSETS, $STORE)." >&2
    for name in "${MISSING[@]}"; do
      module_available "$(module_of "$name")" || echo "  $name cannot be built here (no wrapper module): set $(env_var_of "$name")" >&2
    done
    echo "Run: scripts/test-assets/provision.sh   (builds them with go; a cold build of all takes ~22 min on 2 cores)" >&2
    exit 1
  fi
else
  if ((${#MISSING[@]})); then
    # Build each missing module once, under a lock so concurrent runs do not race.
    mkdir -p "$ASSETS_ROOT"
    exec 9>"$ASSETS_ROOT/.lock"
    if command -v flock >/dev/null 2>&1; then flock 9; fi
    declare -A BUILT=()
    for name in "${MISSING[@]}"; do
      m="$(module_of "$name")"
      [[ -n "${BUILT[$m]:-}" ]] && continue
      if ! module_available "$m"; then
        if ((EXPLICIT)); then die "$name: no wrapper module $MODULES/$m and no $(env_var_of "$name") set"; fi
        log "$name: skipped (no wrapper module; set $(env_var_of "$name") to use one)"; BUILT[$m]=1; continue
      fi
      if [[ -e "$(store_dir_of_module "$m")/$name" ]]; then BUILT[$m]=1; continue; fi # built meanwhile
      build_module "$m"
      BUILT[$m]=1
    done
    for name in "${MISSING[@]}"; do
      if resolve "$name"; then PATHS[$name]="$RESOLVED_PATH" FROM[$name]="$RESOLVED_FROM"; fi
    done
  fi
fi

# Populate the bin dir with links to every binary that resolves (not only the NAMEs asked for)
# and write the manifest.
mkdir -p "$BIN_DIR"
{
  printf '{\n  "versionKey": %s,\n  "binDir": %s,\n  "assets": {' "$(json_str "$VERSION_KEY")" "$(json_str "$BIN_DIR")"
  sep=""
  for name in "${ALL_NAMES[@]}"; do
    if [[ -z "${PATHS[$name]:-}" ]]; then
      if resolve "$name"; then PATHS[$name]="$RESOLVED_PATH" FROM[$name]="$RESOLVED_FROM"; else rm -f "$BIN_DIR/$name"; continue; fi
    fi
    ln -sfn "${PATHS[$name]}" "$BIN_DIR/.$name.tmp" && mv -T "$BIN_DIR/.$name.tmp" "$BIN_DIR/$name"
    pinned="$(version_of_module "$(module_of "$name")")"
    [[ "${FROM[$name]}" == cache ]] && version="$(json_str "$pinned")" || version=null
    printf '%s\n    %s: {"path": %s, "version": %s, "pinnedVersion": %s, "source": %s}' "$sep" "$(json_str "$name")" \
      "$(json_str "${PATHS[$name]}")" "$version" "$(json_str "$pinned")" "$(json_str "${FROM[$name]}")"
    sep=","
  done
  printf '\n  }\n}\n'
} >"$CACHE_DIR/assets.json.tmp"
mv "$CACHE_DIR/assets.json.tmp" "$CACHE_DIR/assets.json"

if ((!PRINT_DIR)); then
  for name in "${NAMES[@]}"; do
    [[ -n "${PATHS[$name]:-}" ]] && log "$name -> ${PATHS[$name]} (${FROM[$name]})"
  done
fi

if ((PRINT_DIR)); then
  echo "$BIN_DIR"
else
  echo "export KUBEBUILDER_ASSETS=$BIN_DIR"
  echo "export MESHSPEC_ASSETS_MANIFEST=$CACHE_DIR/assets.json"
  for name in "${NAMES[@]}"; do
    [[ -n "${PATHS[$name]:-}" ]] && echo "export $(env_var_of "$name")=$BIN_DIR/$name"
  done
fi
exit 0
