#!/usr/bin/env bash
# Sets everything up on a fresh machine (npm packages, Debian packages, NATS with
# JetStream, Redis, InfluxDB) and runs Meshmon's main job: the lab, a 4-node cluster of
# network namespaces measuring itself with CPS and 2 s probes until every pair is
# measured. Extra arguments go to the lab (see `npm run lab -- --help`), e.g.
#   bash scripts/start.sh --nodes 6 --algorithm tts
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
npm run --silent lab -- --nodes 4 --algorithm cps --duration 180 --probe-seconds 2 --until-covered "$@"
