#!/usr/bin/env bash
# Builds the tiny guest used by the libvirt tests and the demo: Debian's cloud
# kernel plus a busybox-static initramfs. The guest prints a known marker on
# its serial console, reads a little from its first disk (so disk counters
# move), powers off on the ACPI power button (so `virsh shutdown` and
# `virsh reboot` work) and otherwise idles cheaply (unless hostdeck.burn=N on
# its kernel command line asks for N busy loops).
#
# Usage: scripts/guest/build.sh [--print-dir]
# Output (in $HOSTDECK_GUEST_DIR, default /var/cache/hostdeck/guest):
#   vmlinuz, initrd.img, marker, kernel-version, stamp
# Rebuilt only when the inputs change (kernel package version, busybox
# version, this script). Needs root the first time (apt-get download of the
# kernel package). Everything here is from Debian packages only.
set -euo pipefail
log() { printf '[guest] %s\n' "$*" >&2; }

OUT="${HOSTDECK_GUEST_DIR:-/var/cache/hostdeck/guest}"
SELF="$(readlink -f "${BASH_SOURCE[0]}")"
MARKER="HOSTDECK-TINY-GUEST-READY"
# Modules the guest loads at boot, in this order (dependencies are resolved).
MODULES=(virtio_pci virtio_blk virtio_net virtio_balloon virtio_console button evdev)

for tool in apt-cache apt-get dpkg-deb depmod modprobe cpio gzip busybox sha256sum flock; do
  command -v "$tool" >/dev/null || { log "missing $tool (scripts/packages/test.txt and test-guest.txt)"; exit 1; }
done
BUSYBOX="$(command -v busybox)"
# busybox-static's binary is the one we need (statically linked).
if ldd "$BUSYBOX" >/dev/null 2>&1; then log "$BUSYBOX is dynamically linked: install busybox-static"; exit 1; fi

# The kernel: whatever Debian's cloud meta-package points at today.
find_kernel() {
  KPKG="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-amd64\)$/\1/p' | head -1)"
  if [ -z "$KPKG" ]; then
    KPKG="$(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-cloud-amd64$' | awk '{print $1}' | sort -V | tail -1)"
  fi
}
find_kernel
if [ -z "$KPKG" ] && [ "$(id -u)" -eq 0 ]; then
  log "apt knows no cloud kernel yet: apt-get update"
  apt-get update -q >/dev/null 2>&1 || true
  find_kernel
fi
[ -n "$KPKG" ] || { log "no linux-image-*-cloud-amd64 package known to apt (apt-get update?)"; exit 1; }
KVER_PKG="$(apt-cache policy "$KPKG" | sed -n 's/^ *Candidate: //p')"
BB_VER="$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || echo unknown)"
KEY="$(printf '%s\n' "$KPKG=$KVER_PKG" "busybox=$BB_VER" "$(sha256sum "$SELF")" | sha256sum | cut -c1-16)"

# One build at a time (tests in parallel may all ask for the guest).
mkdir -p "$(dirname "$OUT")"
exec 9>"$OUT.lock"
flock 9
if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$KEY" ] && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ]; then
  [ "${1:-}" = --print-dir ] && echo "$OUT"
  exit 0
fi

log "building the tiny guest ($KPKG $KVER_PKG, busybox $BB_VER) into $OUT"
mkdir -p "$OUT"
chmod 755 "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT/debs"
DEB="$(ls "$OUT/debs/${KPKG}_${KVER_PKG//:/%3a}_"*.deb 2>/dev/null | head -1 || true)"
if [ -z "$DEB" ]; then
  rm -f "$OUT/debs/"*.deb
  (cd "$WORK" && apt-get download -q "$KPKG=$KVER_PKG" >/dev/null 2>&1) || {
    apt-get update -q >/dev/null 2>&1 || true
    (cd "$WORK" && apt-get download -q "$KPKG=$KVER_PKG" >/dev/null) ; }
  mv "$WORK"/*.deb "$OUT/debs/"
  DEB="$(ls "$OUT/debs/"*.deb | head -1)"
fi
mkdir -p "$WORK/k"
dpkg-deb -x "$DEB" "$WORK/k"
KVER="$(ls "$WORK/k/lib/modules" | head -1)"
depmod -b "$WORK/k" "$KVER"

ROOT="$WORK/root"
mkdir -p "$ROOT"/{bin,dev,proc,sys,etc,tmp,lib/modules,mnt}
cp "$BUSYBOX" "$ROOT/bin/busybox"
: > "$ROOT/etc/modules"
for m in "${MODULES[@]}"; do
  # "insmod /path/x.ko" lines, dependencies first; builtins print "builtin x".
  while read -r verb path _; do
    [ "$verb" = insmod ] || continue
    base="$(basename "$path")"
    [ -f "$ROOT/lib/modules/$base" ] && continue
    cp "$path" "$ROOT/lib/modules/$base"
    echo "$base" >> "$ROOT/etc/modules"
  done < <(modprobe -d "$WORK/k" -S "$KVER" --show-depends "$m")
done

cat > "$ROOT/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in \$(cat /etc/modules); do insmod /lib/modules/\$m 2>/dev/null; done
hostname hostdeck-tiny
# A little disk I/O, so the host's disk counters move.
for d in /dev/vda /dev/vdb; do [ -b "\$d" ] && dd if="\$d" of=/dev/null bs=64k count=16 2>/dev/null; done
# Bring the NICs up (no address needed: the host counts the frames).
for n in /sys/class/net/*; do ip link set "\${n##*/}" up 2>/dev/null; done
# ACPI power button -> power off (virsh shutdown / reboot use it).
for e in /sys/class/input/event*; do
  if [ "\$(cat "\$e/device/name" 2>/dev/null)" = "Power Button" ]; then
    ( dd if=/dev/input/\${e##*/} of=/dev/null bs=24 count=1 2>/dev/null
      echo "hostdeck-tiny-guest: power button, powering off"; sync; poweroff -f ) &
  fi
done
# hostdeck.burn=N on the kernel command line: N busy loops, for the tests of CPU alerts.
for a in \$(cat /proc/cmdline); do
  case "\$a" in hostdeck.burn=*) n=\${a#hostdeck.burn=}; while [ "\$n" -gt 0 ] 2>/dev/null; do ( while :; do :; done ) & n=\$((n - 1)); done ;; esac
done
echo "$MARKER \$(cat /proc/sys/kernel/random/boot_id)"
# A shell on the serial console for \`virsh console\` (respawned on exit).
( while :; do setsid cttyhack sh -l </dev/console >/dev/console 2>&1; sleep 1; done ) &
while :; do sleep 3600; done
EOF
chmod 755 "$ROOT/init"
echo 'PS1="hostdeck-tiny# "' > "$ROOT/etc/profile"

(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --reproducible 2>/dev/null || find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) | gzip -9n > "$WORK/initrd.img"
install -m 0644 "$WORK/k/boot/vmlinuz-$KVER" "$OUT/vmlinuz"
install -m 0644 "$WORK/initrd.img" "$OUT/initrd.img"
printf '%s\n' "$MARKER" > "$OUT/marker"
printf '%s\n' "$KVER" > "$OUT/kernel-version"
printf '%s\n' "$KEY" > "$OUT/stamp"
log "done: $(du -sh "$OUT/vmlinuz" "$OUT/initrd.img" | awk '{printf "%s %s  ", $2, $1}')"
[ "${1:-}" = --print-dir ] && echo "$OUT"
exit 0
