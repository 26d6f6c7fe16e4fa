#!/usr/bin/env bash
# Builds every image the swarm stack needs, without a registry (what CI runs):
#   meshmon-base:local (host binaries) -> meshmon:latest (host build, BuildKit, no network)
#   meshmon-nats:local, meshmon-redis:local, meshmon-influxdb:local (host binaries)
# then drops the images earlier builds left untagged (on vfs each is a full copy on disk).
#   bash infra/docker/build-ci-images.sh [app tag]     (default meshmon:latest)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

APP_TAG="${1:-meshmon:latest}"
require_daemon
started="$(now_s)"
bash "$here/build-base-image.sh" meshmon-base:local
bash "$here/build-infra-images.sh"
MESHMON_IMAGE_BASE=meshmon-base:local bash "$here/build-app-image.sh" "$APP_TAG"
"$DOCKER" image prune -f >/dev/null || log "warning: docker image prune failed"
# BuildKit's cache: on vfs every cached step is a full copy of its file system (600 MB by
# docker's count, gigabytes on disk), and a rebuild from the cached base takes seconds.
"$BUILD_DOCKER" builder prune -af >/dev/null 2>&1 || log "warning: docker builder prune failed"
log "all images built in $(since_s "$started") s:" \
  "$APP_TAG $(image_mb "$APP_TAG") MB, meshmon-base:local $(image_mb meshmon-base:local) MB," \
  "nats $(image_mb meshmon-nats:local) MB, redis $(image_mb meshmon-redis:local) MB," \
  "influxdb $(image_mb meshmon-influxdb:local) MB"
