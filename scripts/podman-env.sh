# shellcheck shell=bash
# Sourced by the container scripts: podman as it works on a root CI machine without a container
# registry or systemd, and the two Debian base images the Dockerfile is built from, bootstrapped
# from Debian packages once and kept in podman's image store (later runs reuse them).
#   pm ARGS...       podman with the runtime, cgroup manager and limits that work here
#   podman_usable    0 when podman is installed (or can be, as root) and can run a container
#   base_images      makes sure BUILD_BASE and RUNTIME_BASE exist
# Measured on the CI machine (2 shared cores): each debootstrap takes about 1.5-3 minutes, once.

BUILD_BASE=${BUILD_BASE:-localhost/little-bit/build-base:bookworm}
RUNTIME_BASE=${RUNTIME_BASE:-localhost/little-bit/runtime-base:bookworm}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Podman's default ulimits (from containers.conf) are refused by this kernel's runc setup: none set.
if [[ -z ${CONTAINERS_CONF:-} ]]; then
  CONTAINERS_CONF=/tmp/little-bit-containers.conf
  printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
  export CONTAINERS_CONF
fi

pm() {
  podman --runtime runc --cgroup-manager=cgroupfs "$@"
}

# Why podman can't be used here, on stderr; returns 1 then.
podman_usable() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "podman-env: not root: rootless podman needs subuid ranges this machine may not have" >&2
    return 1
  fi
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
    echo "podman-env: installing podman, runc and debootstrap with apt-get" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap; } >&2; then
      echo "podman-env: could not install podman" >&2
      return 1
    fi
  fi
  if ! pm info >/dev/null 2>&1; then
    echo "podman-env: podman is installed but does not work here: $(pm info 2>&1 | tail -1)" >&2
    return 1
  fi
}

# bootstrap_image NAME PACKAGES: a minimal Debian bookworm with PACKAGES, imported as image NAME.
bootstrap_image() {
  local name=$1 packages=$2 root
  if pm image exists "$name"; then
    return 0
  fi
  echo "podman-env: bootstrapping $name (Debian bookworm + $packages)" >&2
  root=$(mktemp -d /tmp/debootstrap.XXXXXX)
  debootstrap --variant=minbase --include="$packages" bookworm "$root" "$DEBIAN_MIRROR" >"$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; rm -rf "$root" "$root.log"; return 1; }
  # Package lists and caches only make the image bigger; images run apt-get update themselves.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | pm import --change 'CMD ["/bin/bash"]' - "$name" >/dev/null
  rm -rf "$root" "$root.log"
}

base_images() {
  # Build stage: Debian's JDK 17 (what the pom compiles for). The Dockerfile runs ./mvnw, which brings
  # its own Maven; Debian's Maven 3.8 stays in the image because the image is shared by every
  # checkout on the machine, older ones included. Also the "fresh machine", which takes it off PATH.
  bootstrap_image "$BUILD_BASE" openjdk-17-jdk-headless,maven,ca-certificates &
  local build=$!
  # Runtime stage: Debian's JRE 17 alone; the Dockerfile adds FFmpeg's system libraries.
  bootstrap_image "$RUNTIME_BASE" openjdk-17-jre-headless &
  local runtime=$!
  local status=0
  wait "$build" || status=1
  wait "$runtime" || status=1
  return "$status"
}
