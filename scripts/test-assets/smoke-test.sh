#!/usr/bin/env bash
# Smoke test for the provisioned binaries: starts etcd + kube-apiserver (envtest-style, TLS, client
# certs), then kube-controller-manager + kube-scheduler + kwok, creates a kwok fake Node and checks
# that a Deployment rolls out onto it. Kills everything it started on exit.
#
# Usage: scripts/test-assets/smoke-test.sh [--apiserver-only] [--keep]
#   --apiserver-only  stop after `kubectl get ns` works (what envtest gives you)
#   --keep            leave the processes running and print how to reach them (Ctrl-C stops them)
# Env: SMOKE_HOST (default 127.0.0.1; any 127.0.0.0/8 address works), KUBECTL (default kubectl).
# The flags used here are the ones documented in README.md ("Control-plane flags").
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOST="${SMOKE_HOST:-127.0.0.1}"
KUBECTL="${KUBECTL:-kubectl}"
APISERVER_ONLY=0 KEEP=0
for a in "$@"; do
  case "$a" in
    --apiserver-only) APISERVER_ONLY=1 ;;
    --keep) KEEP=1 ;;
    *) echo "unknown argument $a" >&2; exit 2 ;;
  esac
done

BIN="$("$HERE/provision.sh" --check --print-dir)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/meshspec-smoke.XXXXXX")"
PIDS=()
log() { printf '[smoke %4ss] %s\n' "$SECONDS" "$*" >&2; }
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if ((rc != 0)); then
    log "FAILED (rc=$rc); last log lines:"
    for f in "$WORK"/*.log; do [[ -f "$f" ]] && { echo "== $f" >&2; tail -n 15 "$f" >&2; }; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$HOST"; }
wait_for() { # wait_for SECONDS DESCRIPTION CMD...
  local t="$1" what="$2"; shift 2
  for ((i = 0; i < t * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { log "a started process (pid $pid) exited while waiting for $what"; return 1; }; done
    sleep 0.25
  done
  log "timed out after ${t}s waiting for $what"; return 1
}

# ---- certificates (openssl) ---------------------------------------------------------------------
C="$WORK/pki"; mkdir -p "$C"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=meshspec-test-ca" \
  -keyout "$C/ca.key" -out "$C/ca.crt" 2>/dev/null
# apiserver serving cert (SANs: the loopback address, localhost, the in-cluster names, the service IP)
cat >"$C/serving.ext" <<EOF
subjectAltName=IP:$HOST,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth
EOF
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$C/apiserver.key" -out "$C/apiserver.csr" 2>/dev/null
openssl x509 -req -in "$C/apiserver.csr" -CA "$C/ca.crt" -CAkey "$C/ca.key" -CAcreateserial -days 1 \
  -extfile "$C/serving.ext" -out "$C/apiserver.crt" 2>/dev/null
# admin client cert: user "admin" in group system:masters
printf 'extendedKeyUsage=clientAuth\n' >"$C/client.ext"
openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=admin" -keyout "$C/admin.key" -out "$C/admin.csr" 2>/dev/null
openssl x509 -req -in "$C/admin.csr" -CA "$C/ca.crt" -CAkey "$C/ca.key" -CAcreateserial -days 1 \
  -extfile "$C/client.ext" -out "$C/admin.crt" 2>/dev/null
# service-account token signing key pair
openssl genrsa -out "$C/sa.key" 2048 2>/dev/null
openssl rsa -in "$C/sa.key" -pubout -out "$C/sa.pub" 2>/dev/null

# ---- etcd ---------------------------------------------------------------------------------------
ETCD_PORT="$(free_port)" ETCD_PEER_PORT="$(free_port)"
log "etcd on $HOST:$ETCD_PORT"
"$BIN/etcd" \
  --name=meshspec-smoke \
  --data-dir="$WORK/etcd" \
  --listen-client-urls="http://$HOST:$ETCD_PORT" \
  --advertise-client-urls="http://$HOST:$ETCD_PORT" \
  --listen-peer-urls="http://$HOST:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://$HOST:$ETCD_PEER_PORT" \
  --initial-cluster="meshspec-smoke=http://$HOST:$ETCD_PEER_PORT" \
  --unsafe-no-fsync=true \
  --log-level=warn \
  >"$WORK/etcd.log" 2>&1 &
PIDS+=($!)
wait_for 30 "etcd /health" curl -fsS "http://$HOST:$ETCD_PORT/health"

# ---- kube-apiserver -----------------------------------------------------------------------------
API_PORT="$(free_port)"
log "kube-apiserver on https://$HOST:$API_PORT"
"$BIN/kube-apiserver" \
  --etcd-servers="http://$HOST:$ETCD_PORT" \
  --cert-dir="$WORK/apiserver-certs" \
  --tls-cert-file="$C/apiserver.crt" \
  --tls-private-key-file="$C/apiserver.key" \
  --secure-port="$API_PORT" \
  --bind-address="$HOST" \
  --advertise-address="$HOST" \
  --service-cluster-ip-range=10.0.0.0/24 \
  --allow-privileged=true \
  --authorization-mode=RBAC \
  --disable-admission-plugins=ServiceAccount \
  --service-account-issuer="https://$HOST:$API_PORT" \
  --service-account-key-file="$C/sa.pub" \
  --service-account-signing-key-file="$C/sa.key" \
  --client-ca-file="$C/ca.crt" \
  --endpoint-reconciler-type=none \
  >"$WORK/kube-apiserver.log" 2>&1 &
PIDS+=($!)

KUBECONFIG_FILE="$WORK/admin.kubeconfig"
cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: smoke
  cluster:
    server: https://$HOST:$API_PORT
    certificate-authority: $C/ca.crt
users:
- name: admin
  user:
    client-certificate: $C/admin.crt
    client-key: $C/admin.key
contexts:
- name: smoke
  context: {cluster: smoke, user: admin}
current-context: smoke
EOF
K() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" "$@"; }
wait_for 60 "kube-apiserver /readyz" K get --raw /readyz
K version >&2
K get ns >&2
log "OK: kube-apiserver serves (kubectl get ns works)"

if ((APISERVER_ONLY)); then
  if ((KEEP)); then log "export KUBECONFIG=$KUBECONFIG_FILE  (Ctrl-C to stop)"; wait; fi
  exit 0
fi

# ---- kube-controller-manager, kube-scheduler, kwok ----------------------------------------------
KCM_PORT="$(free_port)"
log "kube-controller-manager (secure port $KCM_PORT)"
"$BIN/kube-controller-manager" \
  --kubeconfig="$KUBECONFIG_FILE" \
  --authentication-kubeconfig="$KUBECONFIG_FILE" \
  --authorization-kubeconfig="$KUBECONFIG_FILE" \
  --authentication-skip-lookup=true \
  --bind-address="$HOST" \
  --secure-port="$KCM_PORT" \
  --cert-dir="$WORK/kcm-certs" \
  --leader-elect=false \
  --controllers='*' \
  --service-cluster-ip-range=10.0.0.0/24 \
  --service-account-private-key-file="$C/sa.key" \
  --root-ca-file="$C/ca.crt" \
  --use-service-account-credentials=false \
  >"$WORK/kube-controller-manager.log" 2>&1 &
PIDS+=($!)

SCHED_PORT="$(free_port)"
log "kube-scheduler (secure port $SCHED_PORT)"
"$BIN/kube-scheduler" \
  --kubeconfig="$KUBECONFIG_FILE" \
  --authentication-kubeconfig="$KUBECONFIG_FILE" \
  --authorization-kubeconfig="$KUBECONFIG_FILE" \
  --authentication-skip-lookup=true \
  --bind-address="$HOST" \
  --secure-port="$SCHED_PORT" \
  --cert-dir="$WORK/scheduler-certs" \
  --leader-elect=false \
  >"$WORK/kube-scheduler.log" 2>&1 &
PIDS+=($!)

KWOK_PORT="$(free_port)"
log "kwok controller (server port $KWOK_PORT)"
"$BIN/kwok" \
  --config="$BIN/kwok-stages.yaml" \
  --kubeconfig="$KUBECONFIG_FILE" \
  --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --cidr=10.244.0.1/24 \
  --node-ip="$HOST" \
  --node-name=kwok-controller \
  --node-port="$KWOK_PORT" \
  --server-address="$HOST:$KWOK_PORT" \
  --node-lease-duration-seconds=40 \
  >"$WORK/kwok.log" 2>&1 &
PIDS+=($!)

wait_for 60 "controller-manager /healthz" curl -fsSk "https://$HOST:$KCM_PORT/healthz"
wait_for 60 "scheduler /healthz" curl -fsSk "https://$HOST:$SCHED_PORT/healthz"

K apply -f - >&2 <<'EOF'
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: kwok-node-0
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: ""
    type: kwok
spec:
  taints:
  - key: kwok.x-k8s.io/node
    value: fake
    effect: NoSchedule
EOF
wait_for 60 "node kwok-node-0 Ready" K wait --for=condition=Ready node/kwok-node-0 --timeout=1s
log "OK: kwok made node kwok-node-0 Ready"

K create namespace smoke >&2
wait_for 60 "default service account in namespace smoke" K -n smoke get serviceaccount default
K -n smoke apply -f - >&2 <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeSelector: {type: kwok}
      tolerations:
      - {key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule}
      containers:
      - name: web
        image: registry.invalid/web:1
EOF
K -n smoke rollout status deployment/web --timeout=90s >&2
K -n smoke get pods -o wide >&2
log "OK: Deployment rolled out onto the kwok node"

K delete namespace smoke --timeout=60s >&2
log "OK: namespace deletion finalized (controller-manager running)"

if ((KEEP)); then log "export KUBECONFIG=$KUBECONFIG_FILE  (Ctrl-C to stop)"; wait; fi
log "smoke test passed"
