#!/usr/bin/env bash
# Benchmark: what the agent adds to a JVM's start, on a trivial main (issue 11, item 4). Each pair of runs
# is the same `java Hello` without and with -javaagent (farm-bench alternates them and takes the ratio pair
# by pair); the agent is configured with a database on 127.0.0.1:5432 (it connects in the background),
# no API server and no spill file, so that the figure is the agent's own start-up and exit. Then one run
# with class-load logging prints where premain's time goes: when the agent's entry class loads, when Byte
# Buddy's AgentBuilder loads, and when the program's main class loads.
# Then the same for a real application's start: the demo hub (Jetty 12, the MCP SDK) from its launch until
# it says it listens, then SIGTERM (bench/startup/hub-until-listening.sh).
# Usage: bench/startup.sh [runs=10]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}; runs=${runs#runs=}
jar=agent/target/mcp-telemetry-agent.jar
[ -f "$jar" ] || mvn -B -q package -pl agent -am -DskipTests
out=$(mktemp -d)
javac -d "$out" bench/startup/Hello.java
args="postgres.host=127.0.0.1,postgres.db=mcp_bench_startup,api.enabled=false,spill.maxMb=0,metricsIntervalMs=0"
echo "# uptime: $(uptime)"
farm-bench -n "$runs" --timeout 600 --vs "java -cp $out Hello" -- java "-javaagent:$jar=$args" -cp "$out" Hello
java -Xlog:class+load:file="$out/classes.txt":uptime "-javaagent:$jar=$args" -cp "$out" Hello >/dev/null 2>&1
awk '/McpTelemetryAgent source/{print "premain starts     " $1} /bytebuddy.agent.builder.AgentBuilder source/{print "Byte Buddy loads   " $1}
     / Hello source/{print "main class loads   " $1}' "$out/classes.txt"
echo "classes loaded in all: $(wc -l < "$out/classes.txt"), of them the agent's shaded Byte Buddy: $(grep -c 'shaded.net.bytebuddy' "$out/classes.txt")"
rm -rf "$out"
# a real application's start: the demo hub (Jetty, the MCP SDK) until it listens, then stopped
echo "# demo hub, start until listening, then SIGTERM"
farm-bench -n "$runs" --timeout 900 --vs "bench/startup/hub-until-listening.sh" -- \
  bench/startup/hub-until-listening.sh "-javaagent:$jar=$args"
