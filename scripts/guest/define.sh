#!/usr/bin/env bash
# Defines (and with --start, starts) a tiny guest on the local libvirtd, for
# demos and manual testing: 128 MiB, 1 vCPU, its own 16 MiB qcow2 disk in
# /var/lib/libvirt/images, a tap NIC, a serial console (`virsh console NAME`,
# also logged to /var/log/libvirt/qemu/NAME-serial.log) and guest-reported
# memory figures. Builds the guest image first if needed.
#
# Usage: scripts/guest/define.sh [--start] [--memory MiB] NAME...
# Remove one again with: virsh undefine NAME --remove-all-storage (after virsh destroy).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
URI="${LIBVIRT_DEFAULT_URI:-qemu:///system}"
start=0 mem=128 names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --start) start=1 ;;
    --memory) mem="$2"; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) names+=("$1") ;;
  esac
  shift
done
[ "${#names[@]}" -gt 0 ] || { echo "usage: $0 [--start] [--memory MiB] NAME..." >&2; exit 2; }
DIR="$("$HERE/build.sh" --print-dir)"
type=qemu
if [ "$(sed -n 1p /run/hostdeck/kvm 2>/dev/null | cut -d: -f1)" = usable ]; then type=kvm; fi
for name in "${names[@]}"; do
  [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$ ]] || { echo "bad name: $name" >&2; exit 2; }
  disk="/var/lib/libvirt/images/$name.qcow2"
  [ -e "$disk" ] || qemu-img create -q -f qcow2 "$disk" 16M
  xml="$(mktemp)"
  cat > "$xml" <<EOF
<domain type='$type'>
  <name>$name</name>
  <memory unit='MiB'>$mem</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$DIR/vmlinuz</kernel>
    <initrd>$DIR/initrd.img</initrd>
    <cmdline>console=ttyS0 loglevel=4 panic=-1</cmdline>
  </os>
  <features><acpi/><apic/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$disk'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='ethernet'><model type='virtio'/></interface>
    <serial type='pty'><log file='/var/log/libvirt/qemu/$name-serial.log' append='off'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='virtio'><stats period='2'/></memballoon>
  </devices>
</domain>
EOF
  virsh -q -c "$URI" define "$xml" >/dev/null
  rm -f "$xml"
  if [ "$start" = 1 ]; then virsh -q -c "$URI" start "$name" >/dev/null; fi
  echo "$name"
done
