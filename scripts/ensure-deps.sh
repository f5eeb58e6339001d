#!/usr/bin/env bash
# Installs what `make test`, `make demo` and `make bench` need and the machine lacks:
# the npm packages (which bring Node.js 24) and Debian packages. Idempotent; quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.mob-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -x node_modules/.bin/node ]; then
  echo "ensure-deps: installing npm packages" >&2
  # `npm install` rather than `npm ci`: this npm leaves other platforms' optional packages out of the
  # lockfile it writes and `npm ci` then refuses that same lockfile. `install` keeps the locked versions.
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

apt_packages=()
command -v kubectl >/dev/null 2>&1 || apt_packages+=(kubernetes-client)
command -v openssl >/dev/null 2>&1 || apt_packages+=(openssl)
command -v unshare >/dev/null 2>&1 || apt_packages+=(util-linux)
command -v buildah >/dev/null 2>&1 || apt_packages+=(buildah)
command -v skopeo >/dev/null 2>&1 || apt_packages+=(skopeo)
command -v docker-registry >/dev/null 2>&1 || apt_packages+=(docker-registry)
command -v umoci >/dev/null 2>&1 || apt_packages+=(umoci)
dpkg -s busybox-static >/dev/null 2>&1 || apt_packages+=(busybox-static) # the base image needs a static busybox

if [ "${#apt_packages[@]}" -gt 0 ]; then
  echo "ensure-deps: installing Debian packages: ${apt_packages[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi
