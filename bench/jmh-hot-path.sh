#!/usr/bin/env bash
# Benchmark 1: hot-path overhead. JMH SampleTime (percentiles) of
#  - ToolCallBenchmark.WithoutAgent / .WithAgent: one tools/call through the MCP Java SDK sync client
#    (in-memory transport, JSON on the wire path) in a JVM without and one with -javaagent, same run;
#    .WithOtelAgent: the same call in a JVM with only the OpenTelemetry Java agent 2.22.0 attached
#    (benchmarks/target/otel, fetched by the benchmarks module; exporters off), in the same run, -prof gc;
#  - PublishBenchmark: logToolExecution vs the same pause alone (baseline), with -prof gc;
#  - PublishAllocation: bytes allocated by the calling thread per logToolExecution (thread-local counter).
# The agent writes to PostgreSQL on 127.0.0.1:5432, database mcp_bench_jmh (dropped at the end).
# Usage: bench/jmh-hot-path.sh [extra JMH args, e.g. -wi 2 -i 3]
#        JMH_INCLUDE=ToolCallBenchmark SKIP_ALLOC=1 bench/jmh-hot-path.sh -wi 1 -i 2 -w 2s -r 2s   # a short check
# JMH_INCLUDE (default 'ToolCallBenchmark|PublishBenchmark') is JMH's benchmark regex; SKIP_ALLOC=1 skips
# PublishAllocation.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
fi
CP=benchmarks/target/benchmarks.jar:agent/target/mcp-telemetry-agent.jar
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "# uptime: $(uptime)"
java -cp "$CP" org.openjdk.jmh.Main "${JMH_INCLUDE:-ToolCallBenchmark|PublishBenchmark}" -prof gc -rf json -rff benchmarks/target/jmh-hot-path.json "$@" \
  2> >(grep -v ' INFO ' >&2)
if [[ "${SKIP_ALLOC:-}" != 1 ]]; then
  echo "# uptime: $(uptime)"
  java -Xmx256m -cp "$CP" io.mcphub.telemetry.bench.PublishAllocation 2> >(grep -v ' INFO ' >&2)
fi
psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS mcp_bench_jmh WITH (FORCE)' >/dev/null 2>&1 || true
