#!/usr/bin/env bash
# Full check: install dependencies if needed, then typecheck, lint, unit and integration
# tests, then the real Docker Swarm deployment (npm run test:swarm: installs and starts
# Docker if needed, builds the images offline, deploys swarm/stack.yml with 3 node agents
# on this machine, and removes everything again), then a short orchestrator comparison
# (npm run test:compare: process, container and Swarm, checked report). All three always
# run; the exit code is the first failure's.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh || exit $?
npm test
tests=$?
npm run --silent test:swarm
swarm=$?
npm run --silent test:compare
compare=$?
echo "test.sh: npm test exit ${tests}, test:swarm exit ${swarm}, test:compare exit ${compare}"
if ((tests != 0)); then exit "$tests"; fi
if ((swarm != 0)); then exit "$swarm"; fi
exit "$compare"
