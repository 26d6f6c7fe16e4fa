#!/usr/bin/env bash
# Full check: install dependencies if needed, then typecheck, lint, unit and integration
# tests, then the real Docker Swarm deployment (npm run test:swarm: installs and starts
# Docker if needed, builds the images offline, deploys swarm/stack.yml with 3 node agents
# on this machine, and removes everything again). Both always run; the exit code is the
# first failure's.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh || exit $?
npm test
tests=$?
npm run --silent test:swarm
swarm=$?
echo "test.sh: npm test exit ${tests}, test:swarm exit ${swarm}"
if ((tests != 0)); then exit "$tests"; fi
exit "$swarm"
