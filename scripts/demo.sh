#!/usr/bin/env bash
# `make demo`: start mob's embedded API server in a temporary directory, use it with kubectl, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

dir=$(mktemp -d -t mob-demo-XXXXXX)
log="$dir/apiserver.log"
server_pid=""
controller_pid=""
cleanup() {
  if [ -n "$controller_pid" ] && kill -0 "$controller_pid" 2>/dev/null; then
    kill -TERM "$controller_pid" 2>/dev/null || true
    wait "$controller_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

step() { printf '\n\033[1m$ %s\033[0m\n' "${*//kubectl_/kubectl}"; "$@"; }

echo "Starting mob's embedded API server (state in $dir)"
bin/mob apiserver --dir "$dir" --listen 127.0.0.1:0 >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "ready at" "$log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; echo "demo: the API server exited" >&2; exit 1; }
  sleep 0.1
done
grep -q "ready at" "$log" || { cat "$log"; echo "demo: the API server did not become ready" >&2; exit 1; }
grep -E "ready at|kubeconfig" "$log"

export KUBECONFIG="$dir/kubeconfig"
kubectl_() { kubectl --cache-dir "$dir/kube-cache" "$@"; }

step kubectl_ version
step kubectl_ get namespaces
step kubectl_ apply -f examples/apiserver/crd.yaml
step kubectl_ wait --for=condition=Established crd/osnotes.demo.mob.dev --timeout=10s
step kubectl_ apply -f examples/apiserver/note.yaml
step kubectl_ apply -f examples/apiserver/note.yaml
step kubectl_ get osnotes
step kubectl_ patch osnote worker-kernel --subresource=status --type=merge -p '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}'
step kubectl_ get note -o wide --show-labels
step kubectl_ get osnote worker-kernel -o jsonpath='{.spec.priority}{"\n"}'
step kubectl_ explain osnotes.spec
step kubectl_ delete osnote worker-kernel

echo
echo "Starting mob's controllers against the same API server"
bin/mob controller --kubeconfig "$KUBECONFIG" --log-level warn >"$dir/controller.log" 2>&1 &
controller_pid=$!
step kubectl_ get machineconfigpools
step kubectl_ apply -f examples/machineconfig-motd.yaml
for _ in $(seq 1 100); do
  kubectl_ get mc -o name | grep -q "rendered-worker" && \
    [ "$(kubectl_ get mcp worker -o jsonpath='{.spec.configuration.source[*].name}' | grep -c 50-worker-motd)" = 1 ] && break
  sleep 0.1
done
step kubectl_ get machineconfigs
step kubectl_ get mcp worker -o jsonpath='{.spec.configuration.name}{"  sources: "}{.spec.configuration.source[*].name}{"\n"}'
kill -TERM "$controller_pid"
wait "$controller_pid"
controller_pid=""

echo
echo "Stopping the API server"
kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""
echo "demo: done"
