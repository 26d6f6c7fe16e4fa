#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs Meshmon's main job. Until the lab of
# network namespaces exists, that is the simulator comparing every scheduling algorithm
# with the thesis's figures (Tables 4 and 5) at 4, 8, 16 and 32 nodes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
npm run --silent simulate -- --compare-thesis "$@"
