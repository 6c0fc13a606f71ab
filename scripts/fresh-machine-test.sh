#!/usr/bin/env bash
# Runs the README's quick-start commands, exactly as written there, on a fresh machine: a Debian
# bookworm container with only a JDK 17 (scripts/podman-env.sh's build base image, its Maven taken
# off PATH: the commands use ./mvnw, which downloads its own), no locale set, an empty Maven
# repository, a clean clone of this repository's HEAD commit. Prints
# each command's exit code and time; exits non-zero if any failed. Slow (downloads every Maven
# dependency, then the whole test suite): about 25 minutes on the CI machine. Needs root and podman,
# like scripts/container-test.sh. Commit first: uncommitted changes are not in the clone.
#
# Usage: scripts/fresh-machine-test.sh [log-dir]   (default: a new folder under /tmp; kept)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/podman-env.sh
source scripts/podman-env.sh

if [[ $(id -u) -ne 0 ]]; then
  echo "fresh-machine-test: needs root (podman); not run" >&2
  exit 2
fi
podman_usable
base_images

logs=${1:-$(mktemp -d /tmp/fresh-machine.XXXXXX)}
mkdir -p "$logs"
clone=$(mktemp -d /tmp/fresh-clone.XXXXXX)
trap 'rm -rf "$clone"' EXIT
git clone -q --no-hardlinks "$root" "$clone/repo"
git -C "$clone/repo" checkout -q --detach "$(git rev-parse HEAD)"

# The quick start's commands: the first ```sh block of the README, without comments.
mapfile -t commands < <(awk '/^```sh$/ {inside = 1; next} inside && /^```/ {exit} inside' README.md \
  | grep -v '^[[:space:]]*#' | grep -v '^[[:space:]]*$')
if [[ ${#commands[@]} -ne 2 ]]; then
  echo "fresh-machine-test: expected the README's two quick-start commands, found ${#commands[@]}" >&2
  exit 1
fi

echo "fresh-machine-test: commit $(git rev-parse --short HEAD) in $BUILD_BASE; logs in $logs" >&2
# One container for both, one after the other, as a newcomer runs them: the second finds what the
# first installed and downloaded. Each one's exit code and time go to results.txt.
printf '%s\n' "${commands[@]}" >"$clone/commands"
cat >"$clone/run.sh" <<'EOF'
cd /repo
# No Maven on the machine but what ./mvnw brings (the container is thrown away; the image keeps it).
rm -f /usr/bin/mvn /usr/bin/mvnDebug
if command -v mvn >/dev/null; then
  echo "fresh-machine-test: could not take Maven off PATH: $(command -v mvn)" >&2
  exit 1
fi
n=0
while IFS= read -r command; do
  n=$((n + 1))
  echo "[$n] $command" >&2
  start=$SECONDS
  code=0
  bash -c "$command" >"/logs/command-$n.log" 2>&1 </dev/null || code=$?
  echo "[$n] exit $code after $((SECONDS - start)) s" | tee -a /logs/results.txt >&2
done </commands
EOF
: >"$logs/results.txt"
# The package registries a machine here reaches, as the host reaches them: pip's is a mirror in
# local folders named by the host's pip configuration, so those are lent to the container read-only
# (like the CA certificates); Maven Central, Debian and npm are reached over the host network.
registries=()
for path in /etc/pip.conf /etc/xdg/pip /opt/pypi /opt/pypi-more /opt/wheels; do
  if [[ -e $path ]]; then
    registries+=(-v "$path:$path:ro")
  fi
done
if [[ -e $HOME/.config/pip/pip.conf ]]; then
  registries+=(-v "$HOME/.config/pip/pip.conf:/root/.config/pip/pip.conf:ro")
fi
# No LANG or LC_* (podman passes none of the host's environment), HOME=/root with no ~/.m2, root as
# on a CI machine.
pm run --rm --network host -v /etc/ssl/certs:/etc/ssl/certs:ro "${registries[@]}" -v "$clone/repo:/repo" \
  -v "$clone/run.sh:/run.sh:ro" -v "$clone/commands:/commands:ro" -v "$logs:/logs" \
  --name "fresh-machine-$$" "$BUILD_BASE" bash /run.sh
cat "$logs/results.txt"
if grep -qv ' exit 0 ' "$logs/results.txt" || [[ $(wc -l <"$logs/results.txt") -ne ${#commands[@]} ]]; then
  for log in "$logs"/command-*.log; do
    echo "--- $log" >&2
    tail -40 "$log" >&2
  done
  exit 1
fi
