#!/usr/bin/env bash
# Installs the system programs minos' tests run for real, on Debian or Ubuntu:
#   ignition          ignition-validate, and the ignition binary that applies
#                     configs to a scratch root
#   debootstrap, systemd-container, squashfs-tools
#                     the first-boot rehearsal: a Debian 13 root (systemd 257)
#                     that systemd-nspawn boots, with a real squashfs sysext
#   systemd           systemd-analyze verify for every unit minos renders
#   iptables, iproute2, nftables  the pod-metadata block's rules (iptables
#                     for the Ignition OSes, nft for Talos), checked by each
#                     tool itself and against packets between namespaces
#   openssl           the CA public-key hash oracle kubeadm's docs give
#   chromium          headless, renders `minos report`'s page to a screenshot and a DOM
#   iperf3            the network probe's client JSON (`-J`), run between two namespaces
#   bind9-dnsutils    `dig`, as the DNS probe runs it, against dnsmasq (its output parsed)
#   kubectl           reads the rendered kubeconfig (Debian's kubernetes-client,
#                     unless a kubectl is already installed)
#   libvirt + QEMU    a real libvirtd for the libvirt driver's tests (software
#                     emulation is enough; aarch64 too, with its UEFI firmware
#                     AAVMF from qemu-efi-aarch64), with NAT networks (iptables,
#                     dnsmasq), ISO tools (genisoimage) and libvirt's XML
#                     schemas (virt-xml-validate, with xmllint), and tini to
#                     reap QEMU's daemonized processes where PID 1 does not
# and stages a tiny test guest: Debian's kernel, the modules it needs to read
# fw_cfg, a SATA CD-ROM (ISO 9660) and a virtio NIC, and a static busybox, in
# $MINOS_TEST_GUEST_DIR (default /var/cache/minos-test-guest); and
# systemd-sysupdate (with systemd-pull), which Debian 12's systemd lacks, from
# the bookworm-backports suite's systemd, unpacked into $MINOS_SYSUPDATE_DIR
# (default /var/cache/minos-test-sysupdate), never installed over the host's.
# Tests that need a missing tool skip loudly on a laptop and fail under CI=true.
set -euo pipefail

packages=(
  ignition systemd openssl
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils
  qemu-system-arm qemu-efi-aarch64
  iptables nftables iproute2 dnsmasq-base genisoimage xz-utils bzip2 gzip libxml2-utils tini
  debootstrap systemd-container squashfs-tools
  chromium curl iperf3 bind9-dnsutils
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

stage_sysupdate() {
  local dir="${MINOS_SYSUPDATE_DIR:-/var/cache/minos-test-sysupdate}"
  if [ -x "$dir/lib/systemd/systemd-sysupdate" ]; then
    echo "install-test-tools: systemd-sysupdate present in $dir"
    return
  fi
  # A private apt state that adds bookworm-backports from the mirror this
  # machine already uses, leaving the machine's own sources untouched.
  local apt uri
  apt="$(mktemp -d)"
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null ||
    awk '/^deb / {print $2; exit}' /etc/apt/sources.list)"
  mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache" "$apt/debs"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" >"$apt/parts/backports.sources"
  local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/parts"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
  apt-get "${opts[@]}" update -qq
  (cd "$apt/debs" && apt-get "${opts[@]}" download -qq \
    systemd/bookworm-backports systemd-container/bookworm-backports \
    libsystemd-shared/bookworm-backports 2>/dev/null)
  $sudo mkdir -p "$dir"
  for deb in "$apt"/debs/*.deb; do $sudo dpkg -x "$deb" "$dir"; done
  rm -rf "$apt"
  "$dir/lib/systemd/systemd-sysupdate" --version >/dev/null 2>&1 ||
    LD_LIBRARY_PATH="$(dirname "$(find "$dir" -name 'libsystemd-shared-*.so' | head -1)")" \
      "$dir/lib/systemd/systemd-sysupdate" --version | head -1
  echo "install-test-tools: systemd-sysupdate staged in $dir"
}
stage_sysupdate

# The first-boot rehearsal's root: Debian 13 (trixie), whose systemd 257 is
# close to what Flatcar and FCOS ship, with what the nodes' units call
# (curl, iptables, nft, busybox and openssl for the stubs' small servers). Made once;
# each rehearsal boots an overlay over it and leaves it untouched.
stage_rehearsal_root() {
  local dir="${MINOS_REHEARSAL_ROOT:-/var/cache/minos-rehearsal/trixie}" uri
  if [ -x "$dir/usr/lib/systemd/systemd" ] && [ -f "$dir/.minos-staged" ]; then
    echo "install-test-tools: rehearsal root present in $dir"
    return
  fi
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null ||
    awk '/^deb / {print $2; exit}' /etc/apt/sources.list)"
  $sudo rm -rf "$dir"
  $sudo mkdir -p "$(dirname "$dir")"
  $sudo debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,systemd-container,dbus,iptables,nftables,iproute2,curl,busybox,openssl,ca-certificates \
    trixie "$dir" "$uri" >/dev/null
  $sudo touch "$dir/.minos-staged"
  echo "install-test-tools: rehearsal root staged in $dir ($(chroot "$dir" systemctl --version | head -1))"
}
stage_rehearsal_root

guest="${MINOS_TEST_GUEST_DIR:-/var/cache/minos-test-guest}"
# Load order matters: each after what it depends on.
# virtio_net and what it needs: probe guests that take a DHCP lease on a cluster network.
modules=(qemu_fw_cfg scsi_common scsi_mod cdrom libata libahci ahci sr_mod isofs
  virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net)
if [ -f "$guest/vmlinuz" ] && [ -f "$guest/modules/virtio_net.ko" ] && [ -x "$guest/busybox" ]; then
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
