#!/usr/bin/env bash
# Benchmark 1: hot-path overhead. JMH SampleTime (percentiles) of
#  - ToolCallBenchmark.WithoutAgent / .WithAgent: one tools/call through the MCP Java SDK sync client
#    (in-memory transport, JSON on the wire path) in a JVM without and one with -javaagent, same run;
#  - PublishBenchmark: logToolExecution vs the same pause alone (baseline), with -prof gc;
#  - PublishAllocation: bytes allocated by the calling thread per logToolExecution (thread-local counter).
# The agent writes to PostgreSQL on 127.0.0.1:5432, database mcp_bench_jmh (dropped at the end).
# Usage: bench/jmh-hot-path.sh [extra JMH args, e.g. -wi 2 -i 3]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
fi
CP=benchmarks/target/benchmarks.jar:agent/target/mcp-telemetry-agent.jar
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
echo "# uptime: $(uptime)"
java -cp "$CP" org.openjdk.jmh.Main 'ToolCallBenchmark|PublishBenchmark' -prof gc -rf json -rff benchmarks/target/jmh-hot-path.json "$@" \
  2> >(grep -v ' INFO ' >&2)
echo "# uptime: $(uptime)"
java -Xmx256m -cp "$CP" io.mcphub.telemetry.bench.PublishAllocation 2> >(grep -v ' INFO ' >&2)
psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS mcp_bench_jmh WITH (FORCE)' >/dev/null 2>&1 || true
