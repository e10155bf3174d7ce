#!/usr/bin/env bash
# Benchmark 2: sustained tool executions/s through the real sink into one storage layout's server, beside
# the physical limit measured in the same run: binary COPY of the same rows into a table with one btree
# (tenant_id, started_at). Modes: raw (that limit), sink (the owner's login: binary COPY into the tables),
# tenant (a tenant's login: staging and INSERT ... SELECT under row-level security).
# Servers: plain 127.0.0.1:5432, timescale 5433 and citus 5441-5443 (../shared/*/start.sh); each mode
# gets a throw-away database it drops after.
# Usage: bench/sink-throughput.sh layout=plain [records=2000000] [batch=10000] [producers=2] [modes=raw,sink,tenant]
set -euo pipefail
cd "$(dirname "$0")/.."
cp=benchmarks/target/bench-classpath.txt
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  # the modules' own jars, unshaded (not the agent jar, which relocates the driver the benchmark talks to)
  mvn -B -q -Pbench -pl benchmarks -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$PWD/$cp" -Dmdep.includeScope=provided
fi
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(java -version 2>&1 | head -1)"
echo "# uptime: $(uptime)"
exec java -Xmx3g ${JAVA_OPTS:-} -cp "benchmarks/target/classes:$(tr ':' '\n' < $cp | grep -v mcp-telemetry-agent | paste -sd:)" \
  io.mcphub.telemetry.sink.SinkThroughput "$@" 2> >(grep -v ' INFO ' >&2)
