#!/usr/bin/env bash
# Full check: install dependencies if needed, then typecheck, lint, unit and integration tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
npm test
