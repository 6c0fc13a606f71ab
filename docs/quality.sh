#!/usr/bin/env bash
# Regenerates the measurements in docs/quality.md and the picture docs/quality-cuts.svg: the
# worker, the seed's algorithm and aubiocut cut the same seeded corpora of phone-like recordings
# (a tuning half and a validation half), and every one-shot is scored against the truth.
#   docs/quality.sh [--half tuning|validation|both|unseen] [--scale X] [--direct] [--verbose] [--no-write]
# "both" is the two halves; "unseen" the recordings from other sources, scored only when the team
# asks for a fresh judgement (docs/quality.md, Unseen recordings).
# It installs the Debian packages the lab's sounds come from when missing
# (scripts/install-lab-sounds.sh --tuning: about 700 MB, most of it Tux Paint, Hydrogen's kits and FluidR3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-ffmpeg-libs.sh
bash scripts/install-lab-sounds.sh --tuning
if [[ " $* " == *" unseen "* ]]; then
  bash scripts/install-lab-sounds.sh --unseen
fi
./mvnw -B -q -ntp test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/quality-classpath.txt
java -cp "target/classes:target/test-classes:$(cat target/quality-classpath.txt)" \
  app.littlebit.worker.quality.QualityReport "$@"
