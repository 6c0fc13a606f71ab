#!/usr/bin/env bash
# Builds the real Dockerfile with podman and runs the image as the ECS task definition runs it
# (ContainerImageIT: 1 vCPU, 2 GiB, read-only root, /tmp the only writable path, uid 10001, init,
# the task's environment) against S3Proxy and DynamoDB Local on this machine's loopback. Checks a
# job that completes, a bad recording (exit 65, FAILED), `podman stop` mid-job (exit 75,
# FAILED/TEMPORARY within the task's stopTimeout) and that the AppCDS archive is used; prints the
# image's size. Run by .ci/run.
#
# There is no container registry here: the two base images (Debian bookworm with a JDK 17 and
# Maven for the build stage, with a JRE 17 for the runtime stage) are bootstrapped from Debian
# packages once and kept in podman's image store (scripts/podman-env.sh). Reruns reuse them, the
# build's layer cache and its Maven cache.
#
# Not root (rootless podman is not set up here): says so and skips, exit 0. As root, any failure,
# including podman not working, fails the script.
# Env: IMAGE (default localhost/audio-worker:test), KEEP_IMAGE=1 keeps it (it is kept anyway: the
# next run's layer cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/podman-env.sh
source scripts/podman-env.sh

IMAGE=${IMAGE:-localhost/audio-worker:test}

if [[ $(id -u) -ne 0 ]]; then
  echo "container-test: SKIPPED: not root, and rootless podman is not set up on this machine." >&2
  echo "container-test: run it as root (CI does) to build and run the image." >&2
  exit 0
fi
if [[ -e /run/.containerenv ]]; then
  # E.g. scripts/fresh-machine-test.sh running .ci/run: podman inside an unprivileged container can't.
  echo "container-test: SKIPPED: inside a podman container, which cannot run containers itself." >&2
  exit 0
fi
podman_usable

start=$SECONDS
base_images
echo "container-test: base images ready after $((SECONDS - start)) s" >&2

log=$(mktemp /tmp/container-build.XXXXXX.log)
build_start=$SECONDS
# Host network: the build reaches Maven Central and Debian directly. The host's CA certificates
# stand in for whatever a TLS-intercepting proxy on the way would need.
if ! pm build --network host -v /etc/ssl/certs:/etc/ssl/certs:ro \
    --build-arg "BUILD_IMAGE=$BUILD_BASE" --build-arg "RUNTIME_IMAGE=$RUNTIME_BASE" \
    --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    -t "$IMAGE" . >"$log" 2>&1; then
  tail -60 "$log" >&2
  echo "container-test: the image did not build (full log: $log)" >&2
  exit 1
fi
rm -f "$log"
echo "container-test: image built in $((SECONDS - build_start)) s" >&2
# Layers of earlier builds that no tag points to any more.
pm image prune -f >/dev/null

bytes=$(pm image inspect --format '{{.Size}}' "$IMAGE")
compressed=$(pm save "$IMAGE" 2>/dev/null | gzip -6 | wc -c)
echo "container-test: image size: $((bytes / 1000000)) MB unpacked, $((compressed / 1000000)) MB gzip-compressed (what a task pulls); contents of the app:" >&2
pm run --rm --entrypoint du "$IMAGE" -sh /opt/ffmpeg /app/audio-worker.jar /app/audio-worker.jsa >&2

./mvnw -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ContainerImageIT \
  "-Dcontainer.image=$IMAGE" "-Dcontainer.engine=podman --runtime runc --cgroup-manager=cgroupfs"
echo "container-test: passed in $((SECONDS - start)) s" >&2
