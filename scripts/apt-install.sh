#!/usr/bin/env bash
# Installs the given Debian/Ubuntu packages with apt-get, as root or through sudo; with no
# packages it does nothing. The install-*.sh scripts pass it what they found missing.
set -euo pipefail

if (($# == 0)); then
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  sudo=(sudo)
fi
echo "apt-install: installing $*" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
