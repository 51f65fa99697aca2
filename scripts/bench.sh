#!/usr/bin/env bash
# Benchmark: deploy N independent private networks to the emulator with added latency, and
# compare wall time with the ideal ceil(N / parallelism) x requests per resource x latency.
# Writes bench/RESULTS.md. Timings are measured here, never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
LATENCY_MS=${LATENCY_MS:-50}
PARALLELISMS=${PARALLELISMS:-"10 50"}

bash scripts/setup.sh >/dev/null
swift build -c release --product scwlua 2>&1 | tail -n 1
bin="$(swift build -c release --show-bin-path)/scwlua"

work=$(mktemp -d)
trap 'kill $emu_pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" emulator --port "$port" --latency "$LATENCY_MS" >"$work/emulator.log" 2>&1 &
emu_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/__emulator/health" >/dev/null && break; sleep 0.1; done

cat >"$work/bench.lua" <<LUA
local scw = require "scaleway"
for i = 1, $N do
  scw.VpcPrivateNetwork("pn" .. i, { tags = { "bench" } })
end
LUA

now() { python3 -c 'import time; print(time.monotonic())'; }
rows=()
for p in $PARALLELISMS; do
  curl -sf -X POST "http://127.0.0.1:$port/__emulator/reset" >/dev/null
  # The first private network creates the default VPC; make it exist before timing.
  rm -rf "$work/state"
  t0=$(now)
  "$bin" deploy "$work/bench.lua" --endpoint "http://127.0.0.1:$port" --state-dir "$work/state" --parallelism "$p" --yes >"$work/deploy.log" 2>&1
  t1=$(now)
  writes=$(curl -sf "http://127.0.0.1:$port/__emulator/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["writes"])')
  t2=$(now)
  "$bin" destroy "$work/bench.lua" --endpoint "http://127.0.0.1:$port" --state-dir "$work/state" --parallelism "$p" --yes >"$work/destroy.log" 2>&1
  t3=$(now)
  rows+=("$(python3 - "$N" "$p" "$LATENCY_MS" "$t0" "$t1" "$t2" "$t3" "$writes" <<'PY'
import math, sys
n, p, lat = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t0, t1, t2, t3 = map(float, sys.argv[4:8]); writes = int(sys.argv[8])
per = 1  # one POST per private network
ideal = math.ceil(n / p) * per * lat / 1000
deploy, destroy = t1 - t0, t3 - t2
print(f"| {n} | {p} | {lat} ms | {per} | {ideal:.2f} s | {deploy:.2f} s | {deploy/ideal:.2f}x | {writes} | {destroy:.2f} s |")
PY
)")
done

mkdir -p bench
{
  echo "# Benchmarks"
  echo
  echo "Deploy of $N independent private networks to the local emulator with ${LATENCY_MS} ms added"
  echo "to every request, release build, measured by \`scripts/bench.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores)."
  echo "Ideal = ceil(N / parallelism) x requests per resource x latency. Wall time includes"
  echo "process start, running the script, the refresh/plan, and writing state (two durable"
  echo "SQLite writes per resource: intent, then result)."
  echo
  echo "| resources | parallelism | latency | requests/resource | ideal | deploy wall time | vs ideal | emulator writes | destroy wall time |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for r in "${rows[@]}"; do echo "$r"; done
} > bench/RESULTS.md
cat bench/RESULTS.md
