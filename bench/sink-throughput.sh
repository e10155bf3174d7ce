#!/usr/bin/env bash
# Benchmark 2: sustained tool executions/s into PostgreSQL through the COPY sink (ring -> batch ->
# staging COPY -> INSERT ... SELECT under RLS), swept over batch size and flush interval, against plain
# multi-row INSERT of the same rows in the same run. Needs PostgreSQL on POSTGRES_HOST:POSTGRES_PORT
# (default 127.0.0.1:5432, user postgres, trust); each run uses a throw-away database it drops after.
# Usage: bench/sink-throughput.sh [records=1000000] [producers=2] [batch=500,2000,5000,10000] [flushMs=200] [modes=copy,insert]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
fi
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(java -version 2>&1 | head -1)"
echo "# $(psql -h "${POSTGRES_HOST:-127.0.0.1}" -p "${POSTGRES_PORT:-5432}" -U "${POSTGRES_USER:-postgres}" -Atc 'select version()' 2>/dev/null | cut -d, -f1 || echo 'psql not found')"
echo "# uptime: $(uptime)"
exec java ${JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar:agent/target/mcp-telemetry-agent.jar \
  io.mcphub.telemetry.bench.SinkThroughput "$@" 2> >(grep -v ' INFO ' >&2)
