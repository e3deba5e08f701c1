#!/usr/bin/env bash
# Installs the system programs minos' tests run for real, on Debian or Ubuntu:
#   ignition          ignition-validate, and the ignition binary that applies
#                     configs to a scratch root
#   systemd           systemd-analyze verify for every unit minos renders
#   openssl           the CA public-key hash oracle kubeadm's docs give
#   kubectl           reads the rendered kubeconfig (Debian's kubernetes-client,
#                     unless a kubectl is already installed)
#   libvirt + QEMU    a real libvirtd for the libvirt driver's tests (software
#                     emulation is enough; aarch64 too, with its UEFI firmware
#                     AAVMF from qemu-efi-aarch64), with NAT networks (iptables,
#                     dnsmasq), ISO tools (genisoimage) and libvirt's XML
#                     schemas (virt-xml-validate, with xmllint), and tini to
#                     reap QEMU's daemonized processes where PID 1 does not
# and stages a tiny test guest: Debian's kernel, the modules it needs to read
# fw_cfg and a SATA CD-ROM (ISO 9660), and a static busybox, in
# $MINOS_TEST_GUEST_DIR (default /var/cache/minos-test-guest).
# Tests that need a missing tool skip loudly on a laptop and fail under CI=true.
set -euo pipefail

packages=(
  ignition systemd openssl
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils
  qemu-system-arm qemu-efi-aarch64
  iptables dnsmasq-base genisoimage xz-utils bzip2 gzip libxml2-utils tini
)

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# Any kubectl will do; Debian's only if there is none (packages would clash).
command -v kubectl >/dev/null || packages+=(kubernetes-client)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
updated=""
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-tools: installing ${missing[*]}"
  $sudo apt-get update -qq
  updated=1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-test-tools: packages present (${packages[*]})"
fi

guest="${MINOS_TEST_GUEST_DIR:-/var/cache/minos-test-guest}"
# Load order matters: each after what it depends on.
modules=(qemu_fw_cfg scsi_common scsi_mod cdrom libata libahci ahci sr_mod isofs)
if [ -f "$guest/vmlinuz" ] && [ -f "$guest/modules/isofs.ko" ] && [ -x "$guest/busybox" ]; then
  echo "install-test-tools: test guest present in $guest"
  exit 0
fi
[ -n "$updated" ] || $sudo apt-get update -qq
kernel="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "$kernel" busybox-static 2>/dev/null)
$sudo mkdir -p "$guest"
patterns=()
for module in "${modules[@]}"; do patterns+=("*/$module.ko"); done
dpkg-deb --fsys-tarfile "$work"/linux-image-*.deb | tar -x -C "$work" --wildcards './boot/vmlinuz-*' "${patterns[@]}"
dpkg-deb --fsys-tarfile "$work"/busybox-static_*.deb | tar -x -C "$work" ./bin/busybox
$sudo mkdir -p "$guest/modules"
$sudo cp "$work"/boot/vmlinuz-* "$guest/vmlinuz"
for module in "${modules[@]}"; do
  $sudo cp "$(find "$work/lib" -name "$module.ko" | head -1)" "$guest/modules/$module.ko"
done
printf '%s\n' "${modules[@]}" | $sudo tee "$guest/modules/order" >/dev/null
$sudo install -m 0755 "$work/bin/busybox" "$guest/busybox"
echo "install-test-tools: test guest staged in $guest ($kernel)"
