#!/usr/bin/env bash
# JMH benchmarks of the worker's per-sample audio code (AudioCoreBenchmark), each run twice: with
# the C1-only JIT of jvm.options and with the JVM's default tiered JIT (C1, then C2 for hot code).
# Prints frames per microsecond; more is better. About 4 minutes.
#   bench/jmh/run.sh [extra JMH options, e.g. -p channels=2 AudioCoreBenchmark.analyze]
# WORKER_JAR picks the worker jar (default target/audio-worker.jar, built if missing).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${WORKER_JAR:-$root/target/audio-worker.jar}
if [[ ! -f $jar ]]; then
  (cd "$root" && ./mvnw -B -q package -Dmaven.test.skip=true)
fi
# A copy, so a rebuild of target/ during the run cannot pull the classes from under the forks.
mkdir -p "$here/target"
cp "$jar" "$here/target/worker.jar"
(cd "$here" && "$root/mvnw" -B -q package -Dworker.jar="$here/target/worker.jar")
cp="$here/target/classes:$here/target/worker.jar:$(cat "$here/target/classpath.txt")"
common=(-f 1 -wi 3 -w 1s -i 5 -r 1s -tu us)
echo "== C1 only (jvm.options: -XX:TieredStopAtLevel=1)"
java -cp "$cp" org.openjdk.jmh.Main "${common[@]}" -jvmArgs "-XX:+UseSerialGC -XX:TieredStopAtLevel=1" "$@"
echo "== tiered (C1 then C2)"
java -cp "$cp" org.openjdk.jmh.Main "${common[@]}" -jvmArgs "-XX:+UseSerialGC" "$@"
