#!/usr/bin/env bash
# Where the agent's CPU goes inside a hub under load (issue 11, item 3: the profile of what remains).
# Starts the Java SDK tool server and the demo hub with the agent (as bench/e2e-hub.sh does), loads it with
# THREADS closed-loop REST tool calls, and after WARMUP seconds attaches async-profiler (tools.profiler:
# async-profiler from Maven Central, event itimer: CPU time of every thread, 1 ms) for SECONDS_RUN seconds.
# bench/hub-profile.py then splits the hub's CPU samples: the hub's own code, each agent hook, the agent's
# sink thread, the JIT compiler and the GC. Collapsed stacks stay in benchmarks/target/hub-profile.collapsed.
# Usage: THREADS=32 WARMUP=60 SECONDS_RUN=60 bench/hub-profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${THREADS:-32}"; SECONDS_RUN="${SECONDS_RUN:-60}"; WARMUP="${WARMUP:-60}"; AP_VERSION="${AP_VERSION:-4.2}"
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -Pbench -pl benchmarks,demo-hub -am package -DskipTests
fi
ap=benchmarks/target/async-profiler
if [[ ! -f "$ap/linux-x64/libasyncProfiler.so" ]]; then
  mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory="$ap"
  (cd "$ap" && unzip -oq "async-profiler-$AP_VERSION.jar" 'linux-*/*')
fi
lib="$PWD/$ap/linux-$( [[ $(uname -m) == aarch64 ]] && echo arm64 || echo x64)/libasyncProfiler.so"
out="$PWD/benchmarks/target/hub-profile.collapsed"
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work";
            psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS mcp_bench_profile WITH (FORCE)' >/dev/null 2>&1 || true; }
trap cleanup EXIT
wait_line() { for _ in $(seq 1 600); do grep -q "$2" "$1" 2>/dev/null && { grep "$2" "$1" | grep -o "http://127.0.0.1:[0-9]*" | head -1; return; }; sleep 0.1; done; echo "timeout waiting for $2 in $1" >&2; cat "$1" >&2; exit 1; }

java -Xmx256m -cp demo-hub/target/demo-hub.jar io.mcphub.demohub.sample.JavaToolServer --port 0 >"$work/tools.log" 2>&1 & pids+=($!)
tools=$(wait_line "$work/tools.log" "listening on")
echo "{\"mcpServers\": {\"java-tools\": {\"url\": \"$tools/mcp\"}}}" > "$work/hub.json"
java -Xms512m -Xmx512m \
  "-javaagent:agent/target/mcp-telemetry-agent.jar=tenant=bench,hubName=profile,postgres.host=127.0.0.1,postgres.db=mcp_bench_profile,api.enabled=false" \
  -jar demo-hub/target/demo-hub.jar --config "$work/hub.json" --port 0 >"$work/hub.log" 2>&1 &
hub=$!; pids+=($hub)
url=$(wait_line "$work/hub.log" "demo-hub listening on")
echo "# $(nproc) cores, $(java -version 2>&1 | head -1), uptime: $(uptime)"
java -Xmx512m -cp benchmarks/target/benchmarks.jar:agent/target/mcp-telemetry-agent.jar io.mcphub.telemetry.bench.HubLoad \
  url="$url" threads="$THREADS" seconds="$SECONDS_RUN" warmup="$WARMUP" label=profiled cpu="hub:$hub" &
load=$!
sleep "$WARMUP" # the load driver's own warm-up: the profile covers its measured seconds only
# jcmd parses name=value pairs itself: the options go quoted
jcmd "$hub" JVMTI.agent_load "$lib" "\"start,event=itimer,interval=1ms,threads\"" >/dev/null
wait "$load"
jcmd "$hub" JVMTI.agent_load "$lib" "\"stop,file=$out,collapsed,threads\"" >/dev/null
python3 bench/hub-profile.py "$out"
