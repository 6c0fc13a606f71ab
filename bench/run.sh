#!/usr/bin/env bash
# The worker's benchmark, in one command: bench/run.sh [--quick | --full] [--runs N]
#
# Generates phone-like AAC takes (20 s, 5 min, 60 min; mono 44.1 kHz and stereo 48 kHz; hits 1 to
# 2.5 s apart over room noise), then times on each, in the same session:
#   floor   FFmpeg decoding the take and nothing else: ffmpeg -i take.m4a -f null -
#   worker  the local command as the container runs it: entrypoint.sh with jvm.options and an
#           AppCDS archive trained the way the Dockerfile trains it, FFmpeg from FFMPEG_BIN_DIR
#   pydub   the seed's algorithm with Debian's python3-pydub (bench/pydub_peer.py)
# plus the plain `java -jar` command (the README's; on long takes once), on the short takes JDK 25
# with an AOT cache, and on the long ones the worker writing WAV (no AAC encoder: the cost of the pipeline itself) and FFmpeg
# alone writing the worker's one-shots as AAC (bench/ffmpeg_same_output.sh: the lower bound for
# the same output).
# Every tool uses the FFmpeg build pinned in pom.xml, unpacked from the worker's jar.
# Each combination runs on both CPUs and, pinned with taskset, on one (a Fargate task's 1 vCPU).
# Results: bench/RESULTS.md (medians; raw runs in bench/work/results.jsonl).
#
#   --quick  20 s and 5 min takes only (about 6 min)
#   (none)   adds the 60 min stereo take, once per tool, on both CPUs (about 15 min on an idle machine)
#   --full   adds the 60 min mono take and the 60 min runs on one CPU
#   --runs N timed runs of the 5 min takes (default 3; 20 s takes get 2N+1, 60 min ones 1)
# Takes are generated once into bench/work/ (the 60 min stereo one takes about 2 min) and reused.
# WORKER_JAR picks the jar (default target/audio-worker.jar, built if missing).
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench/.." && pwd)
work=$bench/work
mode=default
runs=3
while (($#)); do
  case $1 in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --runs) runs=$2; shift ;;
    *) echo "usage: $0 [--quick | --full] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "bench: $*" >&2; }

# --- tools -----------------------------------------------------------------------------------
missing=()
[[ -x /usr/bin/time ]] || missing+=(time)
/usr/bin/python3 -c 'import pydub' 2>/dev/null || missing+=(python3-pydub)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash "$root/scripts/install-ffmpeg-libs.sh"

# --- the worker, laid out like the image's /app -------------------------------------------------
jar=${WORKER_JAR:-$root/target/audio-worker.jar}
if [[ ! -f $jar ]]; then
  log "building $jar"
  (cd "$root" && ./mvnw -B -q package -Dmaven.test.skip=true)
fi
app=$work/app
ffdir=$work/ffmpeg
rm -rf "$app" "$ffdir" "$work/out"
mkdir -p "$app" "$work/rec" "$work/out"
# A copy: other builds may replace target/ while the benchmark runs.
cp "$jar" "$app/audio-worker.jar"
cp "$root/jvm.options" "$root/entrypoint.sh" "$app/"
(cd "$work" && unzip -q -o "$app/audio-worker.jar" 'org/bytedeco/ffmpeg/linux-x86_64/*' \
  && mv org/bytedeco/ffmpeg/linux-x86_64 "$ffdir" && rm -rf org)
chmod 0755 "$ffdir/ffmpeg" "$ffdir/ffprobe"
export FFMPEG_BIN_DIR=$ffdir LD_LIBRARY_PATH=$ffdir APP_HOME=$app JAVA_OPTS=
ffmpeg=$ffdir/ffmpeg

# AppCDS exactly as the Dockerfile makes it: a training run through the entrypoint, then the
# archive named in jvm.options.
log "training the AppCDS archive"
"$ffmpeg" -nostdin -hide_banner -loglevel error -f lavfi \
  -i "aevalsrc='0.5*sin(2*PI*440*t)*lt(mod(t,1.5),0.3)':s=44100:d=6" -ac 1 -y "$work/beeps.wav"
JAVA_OPTS="-XX:ArchiveClassesAtExit=$app/audio-worker.jsa" "$app/entrypoint.sh" process "$work/beeps.wav" \
  --out "$work/out/training" >/dev/null 2>&1
echo "-XX:SharedArchiveFile=$app/audio-worker.jsa" >>"$app/jvm.options"

# JDK 25's AOT cache (classes loaded and linked, plus method profiles), if that JDK is here.
jdk25=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)
if [[ -n $jdk25 ]]; then
  log "training the JDK 25 AOT cache"
  "$jdk25/bin/java" "@$root/jvm.options" -XX:AOTCacheOutput="$app/audio-worker.aot" -jar "$app/audio-worker.jar" \
    process "$work/beeps.wav" --out "$work/out/training25" >/dev/null 2>&1
fi

# --- takes -------------------------------------------------------------------------------------
# name seconds rate channels seed
takes=("20s-mono 20 44100 1 11" "20s-stereo 20 48000 2 12" "5min-mono 300 44100 1 13" "5min-stereo 300 48000 2 14")
[[ $mode == quick ]] || takes+=("60min-stereo 3600 48000 2 16")
[[ $mode != full ]] || takes+=("60min-mono 3600 44100 1 15")
for take in "${takes[@]}"; do
  read -r name seconds rate channels seed <<<"$take"
  file=$work/rec/$name.m4a
  if [[ ! -f $file || ! -f $work/rec/$name.hits ]]; then
    log "generating $name"
    java -cp "$app/audio-worker.jar" "$bench/GenerateRecording.java" "$seconds" "$rate" "$channels" "$seed" \
      2>"$work/rec/$name.hits.tmp" \
      | "$ffmpeg" -hide_banner -loglevel error -f f32le -ar "$rate" -ac "$channels" -i pipe:0 \
          -c:a aac -b:a 128k -y "$file.tmp.m4a"
    mv "$file.tmp.m4a" "$file"
    mv "$work/rec/$name.hits.tmp" "$work/rec/$name.hits"
  fi
done

# --- runs --------------------------------------------------------------------------------------
results=$work/results.jsonl
: >"$results"
loads=$work/loads.txt
: >"$loads"

# measure <take> <tool> <cpus> <run> <command...>: one timed run, appended to results.jsonl.
measure() {
  local take=$1 tool=$2 cpus=$3 run=$4
  shift 4
  local out=$work/out/$tool-$cpus/$take
  rm -rf "$out"
  mkdir -p "$out"
  local pin=()
  [[ $cpus == 1 ]] && pin=(taskset -c 1)
  local cmd=("$@")
  cmd=("${cmd[@]//@OUT@/$out}")
  local timing
  timing=$("$bench/measure.py" "$out.stdout" -- "${pin[@]}" "${cmd[@]}")
  printf '{"take":"%s","tool":"%s","cpus":%s,"run":%s,"out":"%s","m":%s}\n' \
    "$take" "$tool" "$cpus" "$run" "$out" "$timing" >>"$results"
}

run_take() {
  local name=$1 cpus=$2 n=$3 long=$4
  local file=$work/rec/$name.m4a
  log "$name on $cpus CPU(s), $n run(s) each ($(cut -d' ' -f1-3 /proc/loadavg) load)"
  echo "$name $cpus before $(cut -d' ' -f1-3 /proc/loadavg)" >>"$loads"
  local i
  for ((i = 1; i <= n; i++)); do
    # Interleaved, so a burst of load from elsewhere hits every tool alike.
    measure "$name" floor "$cpus" "$i" "$ffmpeg" -nostdin -hide_banner -loglevel error -i "$file" -f null -
    measure "$name" worker "$cpus" "$i" "$app/entrypoint.sh" process "$file" --out @OUT@
    measure "$name" pydub "$cpus" "$i" env PATH="$ffdir:$PATH" /usr/bin/python3 "$bench/pydub_peer.py" "$file" @OUT@
    if [[ $long == no ]]; then
      measure "$name" worker-plain-java "$cpus" "$i" java -jar "$app/audio-worker.jar" process "$file" --out @OUT@
      if [[ -n $jdk25 ]]; then
        measure "$name" worker-jdk25-aot "$cpus" "$i" "$jdk25/bin/java" "@$root/jvm.options" \
          -XX:AOTCache="$app/audio-worker.aot" -jar "$app/audio-worker.jar" process "$file" --out @OUT@
      fi
    fi
  done
  if [[ $long == yes ]]; then
    # The README's command on a long take: memory must stay flat without the image's flags too.
    measure "$name" worker-plain-java "$cpus" 1 java -jar "$app/audio-worker.jar" process "$file" --out @OUT@
    measure "$name" worker-wav "$cpus" 1 "$app/entrypoint.sh" process "$file" --out @OUT@ \
      --params '{"outputFormat":"wav"}'
    measure "$name" ffmpeg-same-output "$cpus" 1 "$bench/ffmpeg_same_output.sh" "$ffmpeg" "$file" \
      "$work/out/worker-wav-$cpus/$name" @OUT@
  fi
  echo "$name $cpus after $(cut -d' ' -f1-3 /proc/loadavg)" >>"$loads"
}

short_runs=$((2 * runs + 1))
for cpus in 2 1; do
  run_take 20s-mono "$cpus" "$short_runs" no
  run_take 20s-stereo "$cpus" "$short_runs" no
  run_take 5min-mono "$cpus" "$runs" yes
  run_take 5min-stereo "$cpus" "$runs" yes
  if [[ $mode == default && $cpus == 2 ]] || [[ $mode == full ]]; then
    run_take 60min-stereo "$cpus" 1 yes
  fi
  if [[ $mode == full ]]; then
    run_take 60min-mono "$cpus" 1 yes
  fi
done

log "writing bench/RESULTS.md"
/usr/bin/python3 "$bench/report.py" "$work" "$bench/RESULTS.md" "$mode" "${jdk25:-}"
log "done: bench/RESULTS.md"
