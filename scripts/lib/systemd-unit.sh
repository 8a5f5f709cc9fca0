#!/usr/bin/env bash
# The systemd units of hostdeck (scripts/systemd/<unit>.in): render one for
# this checkout (@NODE@, @HOSTDECK@, @ROOT@ as absolute paths) and install it
# (only rewritten when it changed; enabled where systemd runs). Sourced by
# scripts/storage-reconnect-unit and scripts/host-service-unit.
# Environment (tests): HOSTDECK_NODE (default: node on PATH), HOSTDECK_UNIT_DIR
# (/etc/systemd/system), HOSTDECK_SYSTEMD_DIR (/run/systemd/system: exists when
# systemd runs), HOSTDECK_SYSTEMCTL (systemctl).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
node="${HOSTDECK_NODE:-$(command -v node || true)}"
bin="$root/dist/hostdeck.mjs"
unit_dir="${HOSTDECK_UNIT_DIR:-/etc/systemd/system}"
systemd_dir="${HOSTDECK_SYSTEMD_DIR:-/run/systemd/system}"
systemctl="${HOSTDECK_SYSTEMCTL:-systemctl}"

# render UNIT-NAME: the unit file on stdout.
unit_render() {
  [ -n "$node" ] && [ -x "$node" ] || { log "no node to run hostdeck with"; exit 1; }
  case "$node$bin$root" in *[[:space:]%\$\\\"\']*) log "paths with spaces or quotes cannot go into ExecStart: $node $bin"; exit 1;; esac
  sed -e "s|@NODE@|$node|g" -e "s|@HOSTDECK@|$bin|g" -e "s|@ROOT@|$root|g" "$root/scripts/systemd/$1.in"
}

# install UNIT-NAME: written to the unit directory when it changed, then daemon-reload and enable.
unit_install() {
  local want dest="$unit_dir/$1"
  want="$(unit_render "$1")"
  if [ -f "$dest" ] && [ "$(cat "$dest")" = "$want" ]; then return 0; fi
  mkdir -p "$unit_dir"
  printf '%s\n' "$want" > "$dest.tmp" && mv "$dest.tmp" "$dest"
  log "installed $dest"
  if systemd_runs; then
    "$systemctl" daemon-reload || log "systemctl daemon-reload failed"
    "$systemctl" enable "$1" || log "systemctl enable $1 failed"
  fi
}

systemd_runs() { [ -d "$systemd_dir" ] && command -v "$systemctl" >/dev/null 2>&1; }
