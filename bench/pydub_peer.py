#!/usr/bin/python3
"""The seed's algorithm, as the benchmark's peer: PyDub (Debian's python3-pydub) cuts a recording
into one-shots the way the seed worker did.

  AudioSegment.from_file -> split_on_silence(min_silence_len=750, silence_thresh=-30,
  keep_silence=50, seek_step=75) -> 25 ms of silence before and 75 ms after each chunk -> gain to
  -20 dBFS RMS -> export each chunk in the recording's own format (m4a: AAC 192k, as the worker).

seek_step=75 is the seed's own setting; seek_step=1 makes PyDub's pure-Python silence scan
take minutes on an hour of audio. PyDub finds ffmpeg/ffprobe on PATH (bench/run.sh puts the
worker's pinned FFmpeg first). Prints one JSON line: the number of one-shots written and their
total length.

Usage: pydub_peer.py <recording> <out-dir>
"""
import json
import os
import sys

from pydub import AudioSegment
from pydub.silence import split_on_silence

EXPORT = {
    "m4a": {"format": "ipod", "codec": "aac", "bitrate": "192k"},
    "aac": {"format": "adts", "codec": "aac", "bitrate": "192k"},
    "mp3": {"format": "mp3", "codec": "libmp3lame", "bitrate": "192k"},
    "wav": {"format": "wav"},
    "flac": {"format": "flac"},
}


def main(recording, out_dir):
    ext = os.path.splitext(recording)[1].lstrip(".").lower()
    name = os.path.splitext(os.path.basename(recording))[0]
    os.makedirs(out_dir, exist_ok=True)
    audio = AudioSegment.from_file(recording)
    chunks = split_on_silence(audio, min_silence_len=750, silence_thresh=-30, keep_silence=50, seek_step=75)
    seconds = 0.0
    for index, chunk in enumerate(chunks, start=1):
        padded = AudioSegment.silent(25, chunk.frame_rate) + chunk + AudioSegment.silent(75, chunk.frame_rate)
        padded = padded.apply_gain(-20 - padded.dBFS)
        padded.export(os.path.join(out_dir, "%s-%d.%s" % (name, index, ext)), **EXPORT[ext])
        seconds += padded.duration_seconds
    print(json.dumps({"oneShots": len(chunks), "audioSeconds": round(seconds, 3)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
