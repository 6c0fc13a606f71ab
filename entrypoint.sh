#!/bin/sh
# Container entrypoint of the Little Bit audio worker: starts the JVM and nothing else. Modes,
# validation and exit codes all live in the Java code (app.littlebit.worker.Main).
#   no arguments                   -> ECS job from the environment (task mode)
#   serve                          -> jobs from the SQS queue in QUEUE_URL (service mode)
#   enqueue ...                    -> send jobs to that queue (backfills)
#   process <file> --out <dir> ... -> local mode
# `exec` replaces this shell, so the JVM receives ECS's SIGTERM directly and its exit code is the
# task's exit code.
set -eu

APP_HOME="${APP_HOME:-/app}"

# Flags come from jvm.options (shared with scripts/run-like-container.sh); JAVA_OPTS comes last so
# an operator can override any of them from the task definition without rebuilding the image.
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags: splitting it into words is the point.
exec java "@$APP_HOME/jvm.options" ${JAVA_OPTS:-} -jar "$APP_HOME/audio-worker.jar" "$@"
