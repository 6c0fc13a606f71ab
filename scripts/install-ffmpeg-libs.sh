#!/usr/bin/env bash
# Installs the system libraries that the FFmpeg build pinned in pom.xml (org.bytedeco:ffmpeg,
# linux-x86_64) links against, when they are missing. It does nothing on a machine that has them.
# Debian/Ubuntu package names; the Dockerfile installs the same set in the image.
set -euo pipefail

libraries=(libpulse.so.0 libasound.so.2 libxcb.so.1 libxcb-shm.so.0)
packages=(libpulse0 libasound2 libxcb1 libxcb-shm0)

# Read once: piped straight into `grep -q`, ldconfig can die of SIGPIPE when grep stops at the
# first match, and with pipefail a library that is there would look missing.
known=$(ldconfig -p)
missing=()
for i in "${!libraries[@]}"; do
  if ! grep -qF "${libraries[$i]}" <<<"$known"; then
    missing+=("${packages[$i]}")
  fi
done
bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "${missing[@]}"
