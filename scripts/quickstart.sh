#!/usr/bin/env bash
# The README's first command: set up, build, and deploy examples/quickstart.lua to the local
# emulator (no Scaleway account needed). Pass extra deploy flags after it, e.g. --yes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product scwlua 2>&1 | tail -n 3
bin="$(swift build -c release --show-bin-path)/scwlua"
"$bin" deploy --local examples/quickstart.lua "$@"
