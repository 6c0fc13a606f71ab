#!/usr/bin/env bash
# Service mode's benchmark: bench/serve.sh [--cpus LIST] [--warmup N] [--runs N] [--batch N] [--task-runs N]
#
# Runs `audio-worker serve` as the service's container runs it (java @jvm.options -jar, pinned with
# taskset to --cpus, default "1": a 1-vCPU task, one job at a time) against S3Proxy, DynamoDB Local
# and ElasticMQ on loopback (app.littlebit.worker.serve.ServeBench, in the test classes), on the
# 20 s mono take of bench/run.sh. Measures, in one session:
#   latency     one message at a time: message received by the worker -> status COMPLETED (both on
#               the worker's clock), after --warmup jobs; and message sent -> COMPLETED
#   throughput  --batch messages at once: jobs per minute per CPU, first receive to last completion
#   anchor      the same take in task mode (a JVM per job, as RunTask starts one), process start to exit
# Writes bench/SERVE.md, which bench/RESULTS.md includes (this script updates that section in
# place; bench/run.sh's report.py includes it when it rewrites the file).
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
work=$bench/work/serve
cpus=1 warmup=5 runs=21 batch=20 task_runs=5
while (($#)); do
  case $1 in
    --cpus) cpus=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --runs) runs=$2; shift ;;
    --batch) batch=$2; shift ;;
    --task-runs) task_runs=$2; shift ;;
    *) echo "usage: $0 [--cpus LIST] [--warmup N] [--runs N] [--batch N] [--task-runs N]" >&2; exit 2 ;;
  esac
  shift
done
log() { echo "bench/serve: $*" >&2; }

bash "$root/scripts/install-ffmpeg-libs.sh"
rm -rf "$work"
mkdir -p "$work/app" "$bench/work/rec"
jar=${WORKER_JAR:-$root/target/audio-worker.jar}
if [[ ! -f $jar ]]; then
  log "building $jar"
  (cd "$root" && ./mvnw -B -q package -Dmaven.test.skip=true)
fi
# A copy: other builds may replace target/ while the benchmark runs.
cp "$jar" "$work/app/audio-worker.jar"
log "compiling the bench harness and resolving the local servers"
(cd "$root" && ./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/classpath.txt" >/dev/null)
cp -r "$root/target/classes" "$work/classes"
cp -r "$root/target/test-classes" "$work/test-classes"
cp -r "$root/target/native-libs" "$work/native-libs"

# FFmpeg as the image has it: unpacked once, named by FFMPEG_BIN_DIR.
(cd "$work" && unzip -q -o "$work/app/audio-worker.jar" 'org/bytedeco/ffmpeg/linux-x86_64/*' \
  && mv org/bytedeco/ffmpeg/linux-x86_64 ffmpeg && rm -rf org)
chmod 0755 "$work/ffmpeg/ffmpeg" "$work/ffmpeg/ffprobe"
export FFMPEG_BIN_DIR=$work/ffmpeg LD_LIBRARY_PATH=$work/ffmpeg

# bench/run.sh's 20 s mono take (same generator and seed), made here if that run has not made it.
take=$bench/work/rec/20s-mono.m4a
if [[ ! -f $take ]]; then
  log "generating the 20 s take"
  java -cp "$work/app/audio-worker.jar" "$bench/GenerateRecording.java" 20 44100 1 11 2>"$bench/work/rec/20s-mono.hits" \
    | "$work/ffmpeg/ffmpeg" -hide_banner -loglevel error -f f32le -ar 44100 -ac 1 -i pipe:0 -c:a aac -b:a 128k \
        -y "$take.tmp.m4a"
  mv "$take.tmp.m4a" "$take"
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "running on CPU(s) $cpus: $warmup warm-up + $runs timed jobs, a batch of $batch, $task_runs task-mode runs (load $load_before)"
java -Dsqlite4java.library.path="$work/native-libs" \
  -cp "$work/test-classes:$work/classes:$(cat "$work/classpath.txt")" \
  app.littlebit.worker.serve.ServeBench "$take" "$work/app/audio-worker.jar" "$root/jvm.options" "$work/run" \
  "$cpus" "$warmup" "$runs" "$batch" "$task_runs" >"$work/result.json" 2>"$work/bench.stderr"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

/usr/bin/python3 - "$work/result.json" "$bench/SERVE.md" "$bench/RESULTS.md" "$cpus" "$load_before" "$load_after" <<'PY'
import json, sys, datetime, re
result, target, results, cpus, before, after = sys.argv[1:]
# The last line: DynamoDB Local prints its banner on stdout first.
r = json.loads([l for l in open(result).read().splitlines() if l.startswith("{")][-1])
lat, e2e, task = r["receivedToCompletedMs"], r["sentToCompletedMs"], r["taskModeProcessMs"]
n_cpus = len(cpus.split(","))
lines = [
    "Written by `bench/serve.sh` on %s (CPU(s) %s, load before %s, after %s)." % (
        datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), cpus, before, after),
    "",
    "`audio-worker serve` as the service's container runs it (`java @jvm.options -jar`, pinned to %d CPU%s, "
    "SERVE_CONCURRENCY=%d) against S3Proxy, DynamoDB Local and ElasticMQ on loopback, on bench/run.sh's 20 s mono "
    "take (AAC, one-shots written as AAC). Warm: after %s..." % (n_cpus, "" if n_cpus == 1 else "s", n_cpus, "warm-up jobs"),
    "",
    "| measure | n | p50 | p90 | min | max |",
    "|---|---|---|---|---|---|",
    "| message received -> COMPLETED, ms (target p50 <= 500) | %d | %.0f | %.0f | %.0f | %.0f |" % (
        lat["n"], lat["p50"], lat["p90"], lat["min"], lat["max"]),
    "| message sent -> COMPLETED, ms | %d | %.0f | %.0f | %.0f | %.0f |" % (e2e["n"], e2e["p50"], e2e["p90"], e2e["min"], e2e["max"]),
    "| task mode, one JVM per job: process start -> exit, ms (anchor) | %d | %.0f | %.0f | %.0f | %.0f |" % (
        task["n"], task["p50"], task["p90"], task["min"], task["max"]),
    "",
    "- Throughput: %d jobs sent at once took %.1f s from the first receive to the last COMPLETED: "
    "**%.1f jobs per minute per CPU**." % (r["batchJobs"], r["batchSeconds"], r["jobsPerMinutePerCpu"]),
    "- Warm serve latency / task-mode process wall (same take, same session): **%.2f** (p50s). Task mode in ECS "
    "also waits 30-60 s for Fargate to place the task and pull the image before the JVM starts; serve mode does not." % (
        lat["p50"] / task["p50"]),
    "- The service stopped with SIGTERM at the end exited %d." % r["serveExit"],
]
text = "\n".join(lines) + "\n"
text = text.replace("Warm: after warm-up jobs...", "The first jobs of a fresh JVM (warm-up) are left out.")
open(target, "w").write(text)
md = open(results).read()
section = "## Service mode (serve)\n\n<!-- bench/serve.sh writes this section (bench/SERVE.md) -->\n" + text
pattern = re.compile(r"## Service mode \(serve\)\n.*?(?=\n## |\Z)", re.S)
md = pattern.sub(lambda m: section.rstrip("\n") + "\n", md) if pattern.search(md) else md.rstrip("\n") + "\n\n" + section
open(results, "w").write(md)
print(text)
PY
log "done: bench/SERVE.md, and its section of bench/RESULTS.md"
