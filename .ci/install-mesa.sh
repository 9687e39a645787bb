#!/usr/bin/env bash
# Install Mesa's lavapipe software Vulkan driver, version 24 or later, so that Dawn (the `webgpu` npm
# package) finds a Vulkan adapter and the WebGPU backend's numeric checks run without a GPU.
#
# Debian 12's own Mesa (22.3) is rejected by Dawn ("Vulkan shaderUniform*ArrayDynamicIndexing required"),
# so this adds bookworm-backports (Mesa 25) on the same mirror the machine's apt sources already use, and
# installs mesa-vulkan-drivers from there with the Vulkan loader (libvulkan1).
#
# Idempotent: it does nothing when a Mesa >= 24 lavapipe ICD is already installed. Root only; on a
# machine without apt (or not Debian bookworm) it says so and exits 0 — the tests then say why they skip.
set -euo pipefail

lavapipe_version() {
  # The installed mesa-vulkan-drivers version, if its lavapipe ICD file is present.
  ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 || return 1
  local v; v=$(dpkg-query -W -f="\${Version}" mesa-vulkan-drivers 2>/dev/null) && echo "${v#*:}"
}

if v=$(lavapipe_version) && [ -n "$v" ] && [ "${v%%.*}" -ge 24 ] 2>/dev/null; then
  echo "mesa: lavapipe $v already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "mesa: not root: cannot install Mesa's lavapipe (the WebGPU tests will say why they skip)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release; then
  echo "mesa: not Debian bookworm with apt: install mesa-vulkan-drivers >= 24 by hand" >&2
  exit 0
fi

# The mirror the machine's sources use for the main archive (deb822 or one-line format).
mirror=$(
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'; } 2>/dev/null |
    grep -v -- '-security' | grep -E '/debian/?$' | head -n1 || true
)
mirror=${mirror:-http://deb.debian.org/debian}
list=/etc/apt/sources.list.d/modelplan-bookworm-backports.list
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb ${mirror%/} bookworm-backports main" >"$list"
  echo "mesa: added bookworm-backports from ${mirror%/} ($list)"
fi
echo "mesa: installing mesa-vulkan-drivers from bookworm-backports"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
echo "mesa: lavapipe $(lavapipe_version) installed"
