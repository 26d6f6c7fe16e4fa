#!/usr/bin/env bash
# Sets everything up on a fresh machine (npm packages, Debian packages, NATS with
# JetStream, Redis, InfluxDB) and runs Meshmon's main job: the lab, a 4-node cluster of
# network namespaces with the whole suite (result sink, gateway and dashboard on
# http://127.0.0.1:8080/, flow discovery), measuring itself with CPS and 2 s probes for
# 150 s. Extra arguments go to the lab (see `npm run lab -- --help`); the last value of a
# flag wins, e.g.
#   bash scripts/start.sh --nodes 6 --algorithm tts --until-covered
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
npm run --silent lab -- --nodes 4 --algorithm cps --duration 150 --probe-seconds 2 "$@"
