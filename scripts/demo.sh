#!/usr/bin/env bash
# `make demo`: the documented on-cluster layering workflow on this machine. Starts `mob up` in a
# temporary directory and walks it with kubectl: a layered pool, a MachineOSConfig, the build, the
# rollout onto a node, a new MachineConfig, and the revert. Prints every command and its output.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

dir=$(mktemp -d -t mob-demo-XXXXXX)
up_pid=""
cleanup() {
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then
    kill -TERM "$up_pid" 2>/dev/null || true
    wait "$up_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
step() { printf '\n\033[1m$ %s\033[0m\n' "${*//kubectl_/kubectl}"; "$@"; }
kubectl_() { kubectl --cache-dir "$dir/kube-cache" "$@"; }
now() { date +%s; }
declare -a summary=()
phase_start=0
begin() { phase_start=$(now); bold "== $*"; }
end() { summary+=("$(printf '%-52s %4ss' "$1" "$(($(now) - phase_start))")"); }

# Polls `check` (a command) once a second until it succeeds or `seconds` pass.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "demo: timed out waiting for $what" >&2
  return 1
}

annotation() { kubectl_ get node "$1" -o jsonpath="{.metadata.annotations.machineconfiguration\.openshift\.io/$2}"; }
build_condition() { kubectl_ get machineosbuild "$1" -o jsonpath="{.status.conditions[?(@.type==\"$2\")].status}"; }
pool_updated() { [ "$(kubectl_ get mcp "$1" -o jsonpath='{.status.conditions[?(@.type=="Updated")].status}')" = True ]; }
node_done_on() {
  local state
  state=$(annotation "$1" state)
  if [ "$state" = Degraded ] || [ "$state" = Unreconcilable ]; then
    echo "demo: node $1 is $state: $(annotation "$1" reason)" >&2
    exit 1
  fi
  [ "$state" = Done ] && [ "$(annotation "$1" currentImage)" = "$2" ]
}

begin "Start mob on this machine"
bin/mob up --dir "$dir" --api-listen 127.0.0.1:0 --registry-listen 127.0.0.1:0 --workers 2 --masters 1 \
  >"$dir/mob-up.log" 2>&1 &
up_pid=$!
wait_for 180 "mob up to be ready" grep -q '^ready$' "$dir/mob-up.log" || { cat "$dir/mob-up.log"; exit 1; }
grep -v '^ready$' "$dir/mob-up.log" | grep -v '^{' || true
export KUBECONFIG="$dir/kubeconfig"
registry=$(sed -n 's/.*registry \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$dir/mob-up.log" | head -n 1)
end "mob up (API server, registry, base image, nodes)"

begin "Look around"
step kubectl_ get nodes
step kubectl_ get machineconfigpools
step kubectl_ get controllerconfig machine-config-controller -o jsonpath='{.spec.baseOSContainerImage}{"\n"}'
end "look around"

begin "Create the layered pool and its MachineOSConfig"
step kubectl_ apply -f examples/layered-pool.yaml
sed "s/REGISTRY/$registry/" examples/machineosconfig.yaml >"$dir/machineosconfig.yaml"
step cat "$dir/machineosconfig.yaml"
step kubectl_ apply -f "$dir/machineosconfig.yaml"
end "apply pool and MachineOSConfig"

begin "Build the OS image in the cluster"
wait_for 60 "a MachineOSBuild" sh -c "kubectl --cache-dir '$dir/kube-cache' get machineosbuilds -o name | grep -q ."
build=$(kubectl_ get machineosbuilds -o jsonpath='{.items[0].metadata.name}')
seen=""
for _ in $(seq 1 300); do
  phase=""
  for type in Prepared Building Succeeded Failed Interrupted; do
    [ "$(build_condition "$build" "$type")" = True ] && phase=$type
  done
  if [ -n "$phase" ] && [ "$phase" != "$seen" ]; then
    step kubectl_ get machineosbuilds
    seen=$phase
  fi
  case "$phase" in Succeeded) break ;; Failed | Interrupted)
    kubectl_ get machineosbuild "$build" -o yaml
    exit 1
    ;;
  esac
  sleep 1
done
[ "$seen" = Succeeded ] || { echo "demo: the build did not finish" >&2; exit 1; }
image=$(kubectl_ get machineosconfig layered -o jsonpath='{.status.currentImagePullSpec}')
step kubectl_ get machineosconfig layered -o jsonpath='{.status.currentImagePullSpec}{"\n"}'
bold "The build's log, archived in ConfigMap build-log-$build (last lines):"
kubectl_ get configmap -n openshift-machine-config-operator "build-log-$build" -o jsonpath='{.binaryData.*}' |
  base64 -d | gunzip | tail -n 8
end "build (MachineOSConfig -> digest-pinned image)"

begin "Roll the image out to worker-0"
step kubectl_ label node worker-0 node-role.kubernetes.io/layered=
wait_for 180 "worker-0 to boot the layered image" node_done_on worker-0 "$image"
wait_for 60 "the layered pool to be Updated" pool_updated layered
step kubectl_ get machineconfigpools
step kubectl_ get node worker-0 -o jsonpath='{.metadata.annotations.machineconfiguration\.openshift\.io/currentImage}{"\n"}'
root="$dir/nodes/worker-0/booted/rootfs"
step cat "$root/etc/layered-release"
step chroot "$root" /usr/local/bin/mob-hello
bold "worker-1 (not in the pool) has none of it:"
ls "$dir/nodes/worker-1/booted/rootfs/etc/layered-release" 2>&1 || true
end "rollout to worker-0 (drain, rebase, reboot)"

begin "Add a MachineConfig: a file, no image rebuild needed"
step kubectl_ apply -f examples/machineconfig-motd.yaml
wait_for 120 "worker-0 to have /etc/motd from the MachineConfig" grep -q "Managed by mob" "$root/etc/motd"
wait_for 60 "the layered pool to be Updated" pool_updated layered
step kubectl_ get machineosbuilds
step cat "$root/etc/motd"
end "MachineConfig applied (layer-only, no rebuild)"

begin "Take worker-0 out of the pool: back to the base image"
step kubectl_ label node worker-0 node-role.kubernetes.io/layered-
wait_for 180 "worker-0 to boot the base image" node_done_on worker-0 ""
step kubectl_ get node worker-0 -o jsonpath='{.status.nodeInfo.osImage}{"  currentImage="}{.metadata.annotations.machineconfiguration\.openshift\.io/currentImage}{"\n"}'
ls "$root/etc/layered-release" 2>&1 || true
step cat "$root/etc/motd"
end "revert (one reboot)"

bold "Summary"
printf '  %s\n' "${summary[@]}"

bold "Stopping mob"
kill -TERM "$up_pid"
wait "$up_pid"
up_pid=""
echo "demo: done"
