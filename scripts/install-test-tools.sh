#!/usr/bin/env bash
# Installs the system programs minos' tests run for real, on Debian or Ubuntu:
#   ignition          ignition-validate, and the ignition binary that applies
#                     configs to a scratch root
#   systemd           systemd-analyze verify for every unit minos renders
#   openssl           the CA public-key hash oracle kubeadm's docs give
# Tests that need a missing tool skip loudly on a laptop and fail under CI=true.
set -euo pipefail

packages=(ignition systemd openssl)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-tools: all present (${packages[*]})"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-test-tools: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
