#!/usr/bin/env bash
# Installs everything the project needs on a clean machine (node + npm only), then starts
# the local infrastructure (NATS, Redis, InfluxDB) the services and integration tests use.
# Idempotent: npm ci only when node_modules is out of date; servers already up are reused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_node_major=20
need_node_minor=19
node_version="$(node -p 'process.versions.node')"
IFS=. read -r major minor _ <<<"$node_version"
if ((major < need_node_major || (major == need_node_major && minor < need_node_minor))); then
  echo "setup: node >= ${need_node_major}.${need_node_minor} required, found ${node_version}" >&2
  exit 1
fi

# npm writes node_modules/.package-lock.json after every successful install;
# reinstall when it is missing or older than package-lock.json / package.json.
marker=node_modules/.package-lock.json
if [[ ! -f "$marker" || package-lock.json -nt "$marker" || package.json -nt "$marker" ]]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "setup: npm dependencies up to date"
fi

# Installs the Debian packages it needs (root) and starts what is not running yet.
bash infra/local/start.sh
