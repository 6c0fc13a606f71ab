#!/usr/bin/env bash
# FFmpeg alone producing what the worker produces: decode the take once, then encode the given
# one-shots (the worker's own, written as WAV) to AAC 192k as the worker does (fast coder), 16 files per FFmpeg
# run and as many runs at once as there are CPUs. No analysis, no peak check: a lower bound for
# any tool that writes these AAC files from this take.
# Usage: ffmpeg_same_output.sh <ffmpeg> <take> <wav-dir> <out-dir>
set -euo pipefail
ffmpeg=$1 take=$2 wavs=$3 out=$4
"$ffmpeg" -nostdin -hide_banner -loglevel error -i "$take" -f null -
mkdir -p "$out"
find "$wavs" -name '*.wav' ! -name '*-original.wav' -print0 | sort -z \
  | xargs -0 -n 16 -P "$(nproc)" bash -c '
      ffmpeg=$1 out=$2; shift 2
      args=(); i=0
      for f in "$@"; do args+=(-i "$f"); done
      for f in "$@"; do
        args+=(-map "$i:a" -c:a aac -aac_coder fast -b:a 192k -f ipod -movflags +faststart -y "$out/$(basename "${f%.wav}").m4a")
        i=$((i + 1))
      done
      "$ffmpeg" -nostdin -hide_banner -loglevel error "${args[@]}"' _ "$ffmpeg" "$out"
