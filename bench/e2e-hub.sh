#!/usr/bin/env bash
# Benchmark 3: the demo hub under concurrent REST tool-call load (java-tools/echo over streamable HTTP),
# without and with the agent (writing to PostgreSQL on 127.0.0.1:5432, database mcp_bench_e2e, dropped after).
# Rounds alternate the order (without/with, then with/without, ...) so that warm-up of the tool server
# and the machine's drift do not favour one side. Each line also gives the CPU time per call of the hub,
# the tool server and PostgreSQL (all its processes) during the measured seconds.
# Usage: THREADS="8 32 64" SECONDS_RUN=20 WARMUP=10 ROUNDS=1 bench/e2e-hub.sh
#        PAIRED=1 THREADS=32 SECONDS_RUN=10 ROUNDS=8 bench/e2e-hub.sh
#        PAIRED=1 OTEL=1 THREADS=32 SECONDS_RUN=10 WARMUP=60 ROUNDS=6 bench/e2e-hub.sh
# PAIRED=1 starts both hubs at once, warms both, then loads them in turn (ROUNDS times each, order
# alternating), so that JVM-to-JVM differences and the machine's drift reach both alike.
# OTEL=1 adds a third hub, with only the OpenTelemetry Java agent 2.22.0 attached (benchmarks/target/otel,
# exporters off: traces, metrics and logs none), lines labelled with-otel-agent: PAIRED=1 starts all three,
# warms all three, then loads them in turn, the order rotating each round (none/ours/OTel,
# ours/OTel/none, OTel/none/ours, ...); without PAIRED it is a third fresh hub in every round.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${THREADS:-8 32 64}"; SECONDS_RUN="${SECONDS_RUN:-20}"; WARMUP="${WARMUP:-10}"; ROUNDS="${ROUNDS:-1}"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -Pbench -pl benchmarks,demo-hub -am package -DskipTests
fi
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work";
            psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS mcp_bench_e2e WITH (FORCE)' >/dev/null 2>&1 || true; }
trap cleanup EXIT
wait_line() { for _ in $(seq 1 600); do grep -q "$2" "$1" 2>/dev/null && { grep "$2" "$1" | grep -o "http://127.0.0.1:[0-9]*" | head -1; return; }; sleep 0.1; done; echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; exit 1; }

java -Xmx256m -cp demo-hub/target/demo-hub.jar io.mcphub.demohub.sample.JavaToolServer --port 0 >"$work/tools.log" 2>&1 & pids+=($!)
toolpid=$!
tools=$(wait_line "$work/tools.log" "listening on")
echo "{\"mcpServers\": {\"java-tools\": {\"url\": \"$tools/mcp\"}}}" > "$work/hub.json"
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1); tool server $tools"

AGENT="-javaagent:agent/target/mcp-telemetry-agent.jar=tenant=bench,hubName=e2e,postgres.host=127.0.0.1,postgres.db=mcp_bench_e2e,api.enabled=false"
OTEL_AGENT="-javaagent:benchmarks/target/otel/opentelemetry-javaagent.jar -Dotel.service.name=e2e-hub -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none"
start_hub() { # $1 label, $2... extra JVM args; sets hub (pid) and url
  local label=$1; shift
  java -Xms512m -Xmx512m "$@" -jar demo-hub/target/demo-hub.jar --config "$work/hub.json" --port 0 >"$work/hub-$label.log" 2>&1 &
  hub=$!; pids+=($hub)
  url=$(wait_line "$work/hub-$label.log" "demo-hub listening on")
}
load() { # $1 url, $2 hub pid, $3 label, $4 threads, $5 warm-up seconds
  java -Xmx512m -cp benchmarks/target/benchmarks.jar:agent/target/mcp-telemetry-agent.jar io.mcphub.telemetry.bench.HubLoad url="$1" threads="$4" \
    seconds="$SECONDS_RUN" warmup="$5" label="$3" cpu="hub:$2,tools:$toolpid,pg:$(pgrep -d+ -x postgres)"
}
run_hub() { # $1 label, $2... extra JVM args
  local label=$1; shift
  start_hub "$label" "$@"
  for t in $THREADS; do
    load "$url" "$hub" "$label" "$t" "$WARMUP"
  done
  # Memory (benchmark 5): heap after a full GC, and the agent's own objects by class.
  jcmd "$hub" GC.run >/dev/null
  echo "# $label heap after full GC: $(jcmd "$hub" GC.heap_info | grep -o 'used [0-9]*K' | head -1)"
  local pkg=io.mcphub.telemetry; [[ "$label" != with-otel-agent ]] || pkg=io.opentelemetry
  jcmd "$hub" GC.class_histogram | awk -v pkg="$pkg" -v label="$label" 'index($0, pkg ".") {n+=$2; b+=$3}
    END {printf "# %s agent objects (%s.*): %d instances, %.1f MB\n", label, pkg, n, b/1048576}'
  kill "$hub"; wait "$hub" 2>/dev/null || true
}
if [[ "${PAIRED:-}" == 1 ]]; then
  start_hub a; plain=$hub; plain_url=$url
  start_hub b $AGENT; agent=$hub; agent_url=$url
  if [[ "${OTEL:-}" == 1 ]]; then
    start_hub c $OTEL_AGENT; otel=$hub; otel_url=$url
  fi
  echo "# warm-up, uptime: $(uptime)"
  load "$plain_url" "$plain" warmup-without-agent "$THREADS" "$WARMUP"; load "$agent_url" "$agent" warmup-with-agent "$THREADS" "$WARMUP"
  if [[ "${OTEL:-}" == 1 ]]; then
    load "$otel_url" "$otel" warmup-with-otel-agent "$THREADS" "$WARMUP"
    hubs=("$plain_url $plain without-agent" "$agent_url $agent with-agent" "$otel_url $otel with-otel-agent")
    for r in $(seq 1 "$ROUNDS"); do
      echo "# round $r, uptime: $(uptime)"
      for i in 0 1 2; do
        read -r u p l <<< "${hubs[$(( (r - 1 + i) % 3 ))]}"
        load "$u" "$p" "$l" "$THREADS" 2
      done
    done
    exit 0
  fi
  for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 == 1 )); then
      load "$plain_url" "$plain" without-agent "$THREADS" 2; load "$agent_url" "$agent" with-agent "$THREADS" 2
    else
      load "$agent_url" "$agent" with-agent "$THREADS" 2; load "$plain_url" "$plain" without-agent "$THREADS" 2
    fi
  done
  exit 0
fi
for r in $(seq 1 "$ROUNDS"); do
  echo "# round $r, uptime: $(uptime)"
  if (( r % 2 == 1 )); then
    run_hub without-agent
    run_hub with-agent "$AGENT"
  else
    run_hub with-agent "$AGENT"
    run_hub without-agent
  fi
  if [[ "${OTEL:-}" == 1 ]]; then
    run_hub with-otel-agent $OTEL_AGENT
  fi
done
psql -h 127.0.0.1 -U postgres -Atc "SELECT 'rows stored by the agent: ' || count(*) FROM tool_executions" mcp_bench_e2e 2>/dev/null || true
