#!/usr/bin/env bash
# Regenerates the measurements in docs/quality.md and the picture docs/quality-cuts.svg: the
# worker and the seed's algorithm cut the same seeded corpora of phone-like recordings, and every
# one-shot is scored against the truth. Takes a few minutes on 2 cores.
#   docs/quality.sh [--synthetic-takes N] [--kit-takes N]
# The real-drum rows need Debian's hydrogen-drumkits (apt-get install hydrogen-drumkits); without
# it they are left out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-ffmpeg-libs.sh
mvn -B -q -ntp test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/quality-classpath.txt
java -cp "target/classes:target/test-classes:$(cat target/quality-classpath.txt)" \
  app.littlebit.worker.quality.QualityReport "$@"
