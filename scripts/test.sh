#!/usr/bin/env bash
# Full check: install dependencies if needed, then typecheck, lint, unit and integration
# tests, then the real Docker Swarm deployment (npm run test:swarm: installs and starts
# Docker if needed, builds the images offline, deploys swarm/stack.yml with 3 node agents
# on this machine, and removes everything again), then a short orchestrator comparison
# (npm run test:compare: process, container and Swarm, checked report), then the same
# end-to-end checks on Kubernetes (npm run test:k8s: through kubectl's current context;
# where no cluster is reachable, as here, it says so and passes having checked nothing),
# then a short run of every fault of the fault suite (npm run test:chaos: npm run chaos
# -- --quick, on a lab of its own). All five always run; the exit code is the first failure's.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh || exit $?
npm test
tests=$?
npm run --silent test:swarm
swarm=$?
npm run --silent test:compare
compare=$?
npm run --silent test:k8s
k8s=$?
npm run --silent test:chaos
chaos=$?
echo "test.sh: npm test exit ${tests}, test:swarm exit ${swarm}, test:compare exit ${compare}, test:k8s exit ${k8s}, test:chaos exit ${chaos}"
if ((tests != 0)); then exit "$tests"; fi
if ((swarm != 0)); then exit "$swarm"; fi
if ((compare != 0)); then exit "$compare"; fi
if ((k8s != 0)); then exit "$k8s"; fi
exit "$chaos"
