#!/usr/bin/env bash
# Runs the packaged worker on one local recording the way the container runs it, for machines
# without a Docker engine (CI here). What it shares with the image:
#   - the same entrypoint.sh and jvm.options, from an app dir laid out like /app;
#   - FFmpeg unpacked from the jar into its own dir, found through FFMPEG_BIN_DIR and
#     LD_LIBRARY_PATH exactly as the Dockerfile sets them;
#   - a read-only app dir as working directory and a private writable TMPDIR standing in for the
#     /tmp volume (java.io.tmpdir and the JavaCPP cache pointed there, as jvm.options does for /tmp);
#   - a clean environment, so nothing from the caller's shell (AWS credentials...) leaks in;
#   - when started as root, an unprivileged user (root ignores file modes, so "read-only" would
#     mean nothing; the image runs as uid 10001).
# Differences: no AppCDS archive, no memory limit, the host's JVM and system libraries.
#
# Usage: scripts/run-like-container.sh <recording> <out-dir> [more worker args, e.g. --params '{}']
# Env:   WORKER_JAR (default target/audio-worker.jar), JAVA_OPTS, LOG_LEVEL, RUN_AS (default nobody).
# Prints the worker's JSON result line on stdout (its logs go to stderr) and exits with the
# worker's exit code; exits 70 if the worker said it succeeded but stdout was not one JSON line.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 <recording> <out-dir> [worker args...]" >&2
  exit 2
fi
recording=$1 out=$2
shift 2

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=${WORKER_JAR:-$root/target/audio-worker.jar}
if [[ ! -f $jar ]]; then
  echo "run-like-container: no $jar; build it with: ./mvnw -B -DskipTests package" >&2
  exit 2
fi

# Everything lives under one throw-away dir in /tmp, which the unprivileged user can reach.
work=$(mktemp -d /tmp/run-like-container.XXXXXX)
trap 'chmod -R u+w "$work" && rm -rf "$work"' EXIT
app=$work/app          # /app
ffmpeg=$work/ffmpeg    # /opt/ffmpeg
input=$work/input      # where the job's input lands (the worker downloads to /tmp in ECS)
tmp=$work/tmp          # the /tmp volume
mkdir -p "$app" "$input" "$tmp" "$out"
out=$(cd "$out" && pwd)  # the worker runs in the app dir, so a relative path would point there

cp "$jar" "$app/audio-worker.jar"
cp "$root/jvm.options" "$root/entrypoint.sh" "$app/"
cp "$recording" "$input/"
# Same three steps as the Dockerfile's build stage.
(cd "$work" && jar xf "$app/audio-worker.jar" org/bytedeco/ffmpeg/linux-x86_64/ \
  && mv org/bytedeco/ffmpeg/linux-x86_64 "$ffmpeg" && rm -rf org)
chmod 0755 "$ffmpeg/ffmpeg" "$ffmpeg/ffprobe"

# Read-only: the app, FFmpeg and the input. Writable: tmp and out, for the worker's user only.
chmod -R a-w,a+rX "$app" "$ffmpeg" "$input"
chmod 0755 "$work"
chmod 0700 "$tmp"
run_as=()
if [[ $(id -u) -eq 0 ]]; then
  user=${RUN_AS:-nobody}
  chown "$user" "$tmp" "$out"
  run_as=(setpriv "--reuid=$user" "--regid=$(id -g "$user")" --clear-groups --)
  if ! "${run_as[@]}" test -w "$out"; then
    echo "run-like-container: $user cannot write to $out (are its parent dirs searchable?)" >&2
    exit 2
  fi
fi

status=0
(cd "$app" && ${run_as[@]+"${run_as[@]}"} env -i \
  PATH="$PATH" \
  HOME=/nonexistent \
  TMPDIR="$tmp" \
  APP_HOME="$app" \
  FFMPEG_BIN_DIR="$ffmpeg" \
  LD_LIBRARY_PATH="$ffmpeg" \
  LOG_LEVEL="${LOG_LEVEL:-INFO}" \
  JAVA_OPTS="-Djava.io.tmpdir=$tmp -Dorg.bytedeco.javacpp.cachedir=$tmp/javacpp ${JAVA_OPTS:-}" \
  "$app/entrypoint.sh" process "$input/$(basename "$recording")" --out "$out" "$@") \
  >"$work/stdout" || status=$?

cat "$work/stdout"
# The contract: exactly one JSON line on stdout, whatever the outcome.
lines=$(wc -l <"$work/stdout")
if [[ $lines -ne 1 || $(head -c 1 "$work/stdout") != "{" ]]; then
  echo "run-like-container: expected one JSON line on stdout, got $lines line(s)" >&2
  if [[ $status -eq 0 ]]; then status=70; fi
fi
if [[ $status -ne 0 ]]; then
  echo "run-like-container: worker exited with $status" >&2
fi
exit "$status"
