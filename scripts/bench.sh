#!/usr/bin/env bash
# Benchmark: scwlua against the local emulator with added latency, beside a peer doing the
# same work the way a user would without scwlua (the official Scaleway Python SDK, one call
# after another: bench/peer.py), on the same emulator. Every figure is run RUNS times and the
# median kept. Writes bench/RESULTS.md. Timings are measured here, never asserted in tests.
#
#   RUNS=3 LATENCY_MS=50 SCRATCH=.build scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
LATENCY_MS=${LATENCY_MS:-50}
WIDE=${WIDE:-200}            # independent private networks
PARALLELISM=${PARALLELISM:-10}
CHAIN=${CHAIN:-20}           # dependent private networks, each tagged with the previous one's id
REPLAN=${REPLAN:-1000}       # resources of the no-op re-plan
DECLARE=${DECLARE:-10000}    # resources declared and planned on a new stack
SCRATCH=${SCRATCH:-.build}

bash scripts/setup.sh >/dev/null
# The peer's SDK, for the benchmark only.
if ! python3 -c 'import scaleway' 2>/dev/null; then
  python3 -m pip install -q scaleway 2>/dev/null || python3 -m pip install -q --break-system-packages scaleway
fi
swift build -c release --product scwlua --scratch-path "$SCRATCH" 2>&1 | tail -n 1
bin="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/scwlua"

work=$(mktemp -d)
emu_pids=()
trap 'for p in "${emu_pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_emulator() {   # latency → URL on stdout
  local port; port=$(free_port)
  "$bin" emulator --port "$port" --latency "$1" >"$work/emulator-$port.log" 2>&1 &
  emu_pids+=($!)
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/__emulator/health" >/dev/null && break; sleep 0.1; done
  echo "http://127.0.0.1:$port"
}
url=$(start_emulator "$LATENCY_MS")
fast=$(start_emulator 0)
reset() { curl -sf -X POST "$1/__emulator/reset" >/dev/null; }
stat() { curl -sf "$1/__emulator/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"$2\"])"; }
now() { date +%s.%N; }
results="$work/results"
: >"$results"
record() { echo "$1 $2" >>"$results"; }   # figure value
timed() {  # figure command… : records the wall time of the command
  local figure=$1; shift
  local t0 t1; t0=$(now); "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; exit 1; }; t1=$(now)
  record "$figure" "$(awk "BEGIN { print $t1 - $t0 }")"
}

script() {  # name body → path
  printf 'local scw = require "scaleway"\n%s\n' "$2" >"$work/$1.lua"
  echo "$work/$1.lua"
}
wide=$(script wide "for i = 1, $WIDE do scw.VpcPrivateNetwork(\"pn\" .. i, { tags = { \"bench\" } }) end")
chain=$(script chain "local prev
for i = 1, $CHAIN do
  local tags = { \"bench\" }
  if prev then tags[2] = \"after:\" .. prev.id end
  prev = scw.VpcPrivateNetwork(\"c\" .. i, { tags = tags })
end")
replan=$(script replan "for i = 1, $REPLAN do scw.VpcPrivateNetwork(\"pn\" .. i, { tags = { \"bench\" } }) end")
declare=$(script declare "for i = 1, $DECLARE do scw.VpcPrivateNetwork(\"pn\" .. i, { tags = { \"bench\" } }) end")
small=$(script small "for i = 1, 3 do scw.VpcPrivateNetwork(\"pn\" .. i, { tags = { \"bench\" } }) end")
sw() { "$bin" "$1" "$2" --endpoint "$3" --state-dir "$4" "${@:5}"; }

for run in $(seq "$RUNS"); do
  echo "bench: run $run of $RUNS"
  # Wide: independent private networks at the given parallelism.
  reset "$url"; rm -rf "$work/s-wide"
  timed wide sw deploy "$wide" "$url" "$work/s-wide" --parallelism "$PARALLELISM" --yes
  record wide_writes "$(stat "$url" writes)"
  timed wide_destroy sw destroy "$wide" "$url" "$work/s-wide" --parallelism "$PARALLELISM" --yes
  reset "$url"
  timed peer_wide python3 bench/peer.py wide "$WIDE" "$url"

  # Deep: a chain of dependent private networks.
  reset "$url"; rm -rf "$work/s-chain"
  timed chain sw deploy "$chain" "$url" "$work/s-chain" --parallelism "$PARALLELISM" --yes
  reset "$url"
  timed peer_chain python3 bench/peer.py chain "$CHAIN" "$url"

  # Where a wide deploy's time goes: process start; script + plan of a new stack.
  timed start "$bin" version
  rm -rf "$work/s-fresh"
  timed wide_plan sw plan "$wide" "$url" "$work/s-fresh"

  # Declaring and planning many resources on a new stack: wall time and peak memory.
  rm -rf "$work/s-declare"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" plan "$declare" --endpoint "$url" --state-dir "$work/s-declare" >"$work/last.log" 2>&1
  read -r secs kb <"$work/time.txt"
  record declare "$secs"
  record declare_mb "$(awk "BEGIN { print $kb / 1024 }")"

  # A small deployed stack: how fast `scwlua plan` answers (no added latency), and the
  # peer's process doing the same check.
  reset "$fast"; rm -rf "$work/s-small"
  sw deploy "$small" "$fast" "$work/s-small" --yes >/dev/null 2>&1
  timed small_plan sw plan "$small" "$fast" "$work/s-small"
  python3 bench/peer.py wide 3 "$fast" >/dev/null
  timed peer_small_plan python3 bench/peer.py check "$fast"
done

# The no-op re-plan of many resources (deployed once; the peer lists the same networks).
reset "$url"; rm -rf "$work/s-replan"
sw deploy "$replan" "$url" "$work/s-replan" --parallelism 50 --yes >/dev/null 2>&1
for run in $(seq "$RUNS"); do
  curl -sf -X POST "$url/__emulator/stats/reset" >/dev/null
  timed replan sw plan "$replan" "$url" "$work/s-replan"
  grep -q "No changes" "$work/last.log" || { echo "bench: the re-plan is not a no-op"; cat "$work/last.log"; exit 1; }
  record replan_calls "$(stat "$url" requests)"
  curl -sf -X POST "$url/__emulator/stats/reset" >/dev/null
  timed replan_refresh_false sw plan "$replan" "$url" "$work/s-replan" --refresh=false
done
for run in $(seq "$RUNS"); do
  curl -sf -X POST "$url/__emulator/stats/reset" >/dev/null
  timed peer_replan env PEER_TAG=bench python3 bench/peer.py check "$url"
  record peer_replan_calls "$(stat "$url" requests)"
done

mkdir -p bench
python3 - "$results" "$RUNS" "$LATENCY_MS" "$WIDE" "$PARALLELISM" "$CHAIN" "$REPLAN" "$DECLARE" "$(nproc)" "$(uname -m)" "$(date -u +%Y-%m-%d)" <<'PY' >bench/RESULTS.md
import math, statistics, sys
path, runs, lat, wide, par, chain, replan, declare, cores, arch, day = sys.argv[1:]
runs, lat, wide, par, chain, replan, declare = map(int, (runs, lat, wide, par, chain, replan, declare))
values = {}
for line in open(path):
    k, v = line.split()
    values.setdefault(k, []).append(float(v))
m = {k: statistics.median(v) for k, v in values.items()}
def s(x): return f"{x:.2f} s"
def ms(x): return f"{x * 1000:.0f} ms"
wide_bound = math.ceil(wide / par) * lat / 1000
chain_bound = chain * lat / 1000
rows = [
    ("Wide deploy: %d independent private networks, parallelism %d (wall time, process start included)" % (wide, par),
     "≤ 1.3x bound (%s)" % s(wide_bound * 1.3), f"bound {s(wide_bound)}", s(m["wide"]), f"{m['wide'] / wide_bound:.2f}x bound",
     s(m["peer_wide"]), f"{m['peer_wide'] / m['wide']:.1f}x slower",
     f"RUNS={runs} scripts/bench.sh (figure `wide`)"),
    ("Deep deploy: a chain of %d dependent private networks" % chain,
     "close to the bound", f"bound {s(chain_bound)}", s(m["chain"]), f"{m['chain'] / chain_bound:.2f}x bound",
     s(m["peer_chain"]), f"{m['peer_chain'] / m['chain']:.1f}x slower", "(figure `chain`)"),
    ("No-op re-plan of %d resources: API calls" % replan, "≤ 30 calls", "10 pages of 100", f"{m['replan_calls']:.0f} calls", "",
     f"{m['peer_replan_calls']:.0f} calls", "same list", "(figure `replan_calls`)"),
    ("No-op re-plan of %d resources: wall time" % replan, "≤ 3 s", "", s(m["replan"]), "",
     s(m["peer_replan"]), f"{m['peer_replan'] / m['replan']:.1f}x", "(figure `replan`; the peer lists the networks by tag, page by page)"),
    ("Plan of %d resources with --refresh=false" % replan, "", "", s(m["replan_refresh_false"]), "", "—", "", "(figure `replan_refresh_false`)"),
    ("Declare and plan %d resources (new stack): wall time" % declare, "< 1 s", "", s(m["declare"]), "", "—", "", "(figure `declare`)"),
    ("Declare and plan %d resources (new stack): peak memory" % declare, "< 200 MB", "", f"{m['declare_mb']:.0f} MB", "", "—", "", "(figure `declare_mb`)"),
    ("`scwlua plan` of a small deployed stack (3 resources, no added latency)", "< 50 ms", "", ms(m["small_plan"]), "",
     ms(m["peer_small_plan"]), f"{m['peer_small_plan'] / m['small_plan']:.1f}x slower", "(figure `small_plan`; the peer: start, import, one tagged list)"),
]
print("# Benchmarks")
print()
print(f"Measured by `scripts/bench.sh` on {day}: {cores} cores ({arch}), **shared with other engineers'")
print(f"builds and tests while it ran**, so figures are noisy: each is the median of {runs} runs. Release")
print(f"build, local emulator with {lat} ms added to every request. Wall times include process start,")
print("running the script, the refresh and plan, the API calls and the durable state writes.")
print()
print("The peer is the same work written the way a user would without scwlua: the official Scaleway")
print("Python SDK (`scaleway` from PyPI), one call after another (`bench/peer.py`), against the same")
print("emulator with the same latency, timed the same way (its process start and import included).")
print("The bound of a deploy is ceil(N / parallelism) x requests per resource x latency (wide) or the")
print("chain length x latency (deep): no tool can beat it.")
print()
print("| figure | goal | bound | scwlua | vs bound | peer (Python SDK) | peer vs scwlua | reproduce |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
print("Where a wide deploy's time goes (medians): process start (`scwlua version`) "
      f"{ms(m['start'])}; script and plan of the new stack {ms(m['wide_plan'])} (nothing to refresh); the rest is "
      f"the apply ({s(m['wide'] - m['wide_plan'])}, against a bound of {s(wide_bound)}). "
      f"Destroy of the same stack: {s(m['wide_destroy'])}. Emulator writes per wide deploy: {m['wide_writes']:.0f}.")
print()
print(f"Reproduce: `RUNS={runs} LATENCY_MS={lat} WIDE={wide} PARALLELISM={par} CHAIN={chain} REPLAN={replan} DECLARE={declare} scripts/bench.sh`")
print("(`SCRATCH=.build-NAME` to build in another scratch folder).")
PY
cat bench/RESULTS.md
