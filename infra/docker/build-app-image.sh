#!/usr/bin/env bash
# Builds the Meshmon image without a registry: compiles on the host (`npm run build`),
# installs the production dependencies from the host's npm cache into a staging context
# (`npm ci --omit=dev --offline`), and builds infra/docker/Dockerfile with BuildKit from
# that context (APP_SOURCE=prebuilt) on the offline base (build-base-image.sh).
#
#   bash infra/docker/build-app-image.sh [tag]      (default meshmon:latest)
#   MESHMON_IMAGE_BASE=node:20-bookworm-slim ...    another base (default meshmon-base:local)
#   MESHMON_SKIP_NPM_BUILD=1 ...                    use dist/ as it is
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAG="${1:-meshmon:latest}"
BASE="${MESHMON_IMAGE_BASE:-meshmon-base:local}"
CONTEXT="${MESHMON_IMAGE_CONTEXT:-$REPO_ROOT/.tmp/docker-context}"
require_daemon
"$DOCKER" image inspect "$BASE" >/dev/null 2>&1 ||
  [[ "$BASE" != meshmon-base:local ]] ||
  fail "no image $BASE; build it first: bash infra/docker/build-base-image.sh"

# The lab builds dist/ too, under this lock (apps/lab/src/infra/build-lock.ts: a directory
# made atomically, holding its owner's pid; a dead owner's lock is taken over). Two builds
# at once would hand one of them modules the other's tsc is rewriting.
build_lock=$REPO_ROOT/dist/.build-lock
release_lock() { rm -rf "$build_lock"; }
take_build_lock() {
  mkdir -p "$REPO_ROOT/dist"
  local deadline=$((SECONDS + 300)) owner
  until mkdir "$build_lock" 2>/dev/null; do
    owner="$(cat "$build_lock/pid" 2>/dev/null || true)"
    if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
      rm -rf "$build_lock"
      continue
    fi
    ((SECONDS < deadline)) || fail "another build has held $build_lock for 300 s"
    sleep 0.25
  done
  echo "$$" >"$build_lock/pid"
  trap release_lock EXIT
}

take_build_lock
if [[ "${MESHMON_SKIP_NPM_BUILD:-0}" != 1 ]]; then
  started="$(now_s)"
  (cd "$REPO_ROOT" && npm run --silent build) || fail "npm run build failed (see above)"
  log "npm run build: $(since_s "$started") s"
fi
[[ -f "$REPO_ROOT/dist/apps/gateway/src/main.js" ]] || fail "no dist/ to put in the image; run npm run build"

started="$(now_s)"
mkdir -p "$CONTEXT"
rm -rf "$CONTEXT/dist"
cp -a "$REPO_ROOT/dist" "$CONTEXT/dist"
release_lock
trap - EXIT
# The production dependencies, from the npm cache that `npm ci` filled on this host; only
# when the lock file changed. No install scripts (one is telemetry; none is needed).
if ! cmp -s "$REPO_ROOT/package-lock.json" "$CONTEXT/package-lock.json" ||
  [[ ! -f "$CONTEXT/node_modules/.package-lock.json" ]]; then
  rm -rf "$CONTEXT/node_modules"
  cp "$REPO_ROOT/package.json" "$REPO_ROOT/package-lock.json" "$CONTEXT/"
  (cd "$CONTEXT" && npm ci --omit=dev --offline --ignore-scripts --no-audit --no-fund --loglevel=error) ||
    fail "npm ci --omit=dev --offline failed in $CONTEXT; run npm ci in the repository first (it fills the cache)"
fi
cp "$REPO_ROOT/package.json" "$CONTEXT/package.json"
log "staged context $CONTEXT: $(since_s "$started") s"

# Our dockerd has no bridge network (docker-up.sh), so a RUN step gets none or the host's.
# None on the offline base: proof that the build needs no registry. A public base needs
# apt for iperf3 and ping.
network=host
[[ "$BASE" != meshmon-base:local ]] || network=none
started="$(now_s)"
buildkit_build -f "$REPO_ROOT/infra/docker/Dockerfile" --network "$network" --build-arg "BASE=$BASE" \
  --build-arg APP_SOURCE=prebuilt -t "$TAG" "$CONTEXT" >"$CONTEXT.build.log" 2>&1 || {
  tail -n 30 "$CONTEXT.build.log" >&2
  fail "docker build failed; the whole log is in $CONTEXT.build.log"
}
log "$TAG: $(image_mb "$TAG") MB, docker build (BuildKit, base $BASE) $(since_s "$started") s"

# What every service needs at run time, as the user the image runs as.
"$DOCKER" run --rm --network none --entrypoint sh "$TAG" -c \
  '[ "$(id -u)" = 1000 ] && command -v iperf3 >/dev/null && command -v ping >/dev/null' ||
  fail "$TAG: not uid 1000, or iperf3 / ping missing"
"$DOCKER" run --rm --network none --entrypoint node "$TAG" -e '
  const { existsSync } = require("node:fs");
  const services = ["controller", "sensor", "monitor", "flow-discovery", "result-sink", "gateway"];
  const missing = services.map((s) => `/app/dist/apps/${s}/src/main.js`).filter((f) => !existsSync(f));
  if (missing.length > 0) { console.error("missing: " + missing.join(", ")); process.exit(1); }
' || fail "$TAG lacks a service"
