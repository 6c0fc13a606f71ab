# syntax=docker/dockerfile:1.7
# Little Bit audio worker: one ECS Fargate task processes one recording, then exits.
#   docker build -t audio-worker --build-arg REVISION="$(git rev-parse HEAD)" .
#   docker run --rm --read-only --tmpfs /tmp -e S3_BUCKET=... audio-worker        (ECS job mode)
# Deployment: infra/README.md.

# A JDK of the Java release the pom compiles for; Maven comes from ./mvnw (the version the repo pins).
ARG BUILD_IMAGE=eclipse-temurin:17-jdk-jammy
# Ubuntu 22.04 (jammy): its glibc (2.35) is the one the pinned FFmpeg build needs, and its names for
# FFmpeg's system libraries are Debian bookworm's (libasound2, where noble has libasound2t64).
# Java 21 runs the Java 17 bytecode and has the better container and CDS support.
ARG RUNTIME_IMAGE=eclipse-temurin:21-jre-jammy

########################################################################################### build
FROM ${BUILD_IMAGE} AS build
# Set by BuildKit and buildah to the image's architecture: amd64, or arm64 for Graviton (about 20 %
# cheaper on Fargate). It picks the FFmpeg build (org.bytedeco:ffmpeg publishes both).
ARG TARGETARCH
WORKDIR /src
COPY mvnw pom.xml jvm.options ./
COPY .mvn ./.mvn
COPY src/main ./src/main
# FFmpeg and ffprobe (pinned in the pom: org.bytedeco:ffmpeg) ship once, in /opt/ffmpeg, where the
# worker finds them through FFMPEG_BIN_DIR and never writes executables at run time. The image
# profile leaves them out of the jar (they were in both: 65 MB unpacked, 26 MB in the jar) and
# unpacks them to target/ffmpeg. The libjni*.so files are FFmpeg's Java bindings, which the worker
# does not use: it runs the executables. The wrapper keeps the Maven it downloads in the cached
# /root/.m2 too.
RUN --mount=type=cache,target=/root/.m2 \
    case "${TARGETARCH:-amd64}" in \
      amd64) platform=linux-x86_64 ;; \
      arm64) platform=linux-arm64 ;; \
      *) echo "no FFmpeg build for ${TARGETARCH}" >&2; exit 1 ;; \
    esac \
 && ./mvnw -B -DskipTests -Pimage -Djavacpp.platform="$platform" package \
 && mv "target/ffmpeg/org/bytedeco/ffmpeg/$platform" /opt/ffmpeg \
 && rm -f /opt/ffmpeg/libjni*.so \
 && chmod 0755 /opt/ffmpeg/ffmpeg /opt/ffmpeg/ffprobe

######################################################################################### runtime
FROM ${RUNTIME_IMAGE}
ARG RUNTIME_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=https://github.com/little-bit/audio-worker
LABEL org.opencontainers.image.title="Little Bit audio worker" \
      org.opencontainers.image.description="Batch worker: one recording in, ready-to-play one-shot samples out." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.vendor="Little Bit" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"

# System libraries the FFmpeg build links against (found with readelf; the rest ship in /opt/ffmpeg).
# The linux-arm64 build does not bundle libdrm, libva and libva-drm as the x86-64 one does: they
# are installed for both, a few hundred KB, so that one list serves both architectures.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libasound2 libpulse0 libxcb1 libxcb-shm0 \
      libdrm2 libva2 libva-drm2 \
 && rm -rf /var/lib/apt/lists/*

# Fixed ids: the task definition names the same uid:gid (infra/worker.yaml).
RUN groupadd --system --gid 10001 worker \
 && useradd --system --uid 10001 --gid worker --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin worker

COPY --from=build /opt/ffmpeg /opt/ffmpeg
COPY --from=build /src/target/audio-worker.jar /app/audio-worker.jar
COPY --chmod=0644 jvm.options /app/jvm.options
COPY --chmod=0755 entrypoint.sh /app/entrypoint.sh

# libavutil needs libva-drm.so.2, which needs libva.so.2; only the executables carry
# RUNPATH=$ORIGIN, so the dependencies' dependencies are found through LD_LIBRARY_PATH.
ENV APP_HOME=/app \
    FFMPEG_BIN_DIR=/opt/ffmpeg \
    LD_LIBRARY_PATH=/opt/ffmpeg \
    JAVA_OPTS=""

# Fail the build, not the first job, if FFmpeg cannot start here.
RUN /opt/ffmpeg/ffmpeg -hide_banner -version && /opt/ffmpeg/ffprobe -hide_banner -version

# AppCDS: a training run of the local command, through the real entrypoint and flags, records the
# classes it loads into /app/audio-worker.jsa; the runtime maps them instead of loading and
# verifying them again, which shortens every job's start. The generated input is four 0.3 s beeps,
# 1.2 s apart. It doubles as a smoke test: the build fails if the worker cannot process it.
RUN mkdir /tmp/training \
 && /opt/ffmpeg/ffmpeg -hide_banner -loglevel error -f lavfi \
      -i "aevalsrc='0.5*sin(2*PI*440*t)*lt(mod(t,1.5),0.3)':s=44100:d=6" -ac 1 /tmp/training/beeps.wav \
 && JAVA_OPTS="-XX:ArchiveClassesAtExit=/app/audio-worker.jsa" \
      /app/entrypoint.sh process /tmp/training/beeps.wav --out /tmp/training/out \
 && chmod 0644 /app/audio-worker.jsa \
 && echo "-XX:SharedArchiveFile=/app/audio-worker.jsa" >> /app/jvm.options \
 && rm -rf /tmp/training /tmp/javacpp

# ECS mounts the task's ephemeral storage at /tmp (the only writable path; the root filesystem is
# read-only). On Fargate that bind mount takes the owner and mode of the image's /tmp only because
# /tmp is declared a VOLUME here; otherwise it is root-owned 0755 and the worker could not write.
RUN chown worker:worker /tmp && chmod 1777 /tmp
VOLUME ["/tmp"]

# No HEALTHCHECK: this is a batch task, not a service. Its health is its exit code (0 done, 64/65 bad
# input, 75 temporary, 70 internal), which ECS records; a probe would only start extra processes
# inside a memory-bound job and could mark a busy task unhealthy.
USER 10001:10001
WORKDIR /app
ENTRYPOINT ["/app/entrypoint.sh"]
CMD []
