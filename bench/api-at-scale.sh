#!/usr/bin/env bash
# Benchmark 4: the telemetry API at scale, on one storage layout. ApiScaleData makes database mcp_bench_api
# on the layout's server (plain 127.0.0.1:5432, timescale 5433, citus 5441-5443: ../shared/*/start.sh),
# loads the registry and OAuth flows (bench/api-at-scale.sql) and sends ROWS tool executions (default 10
# million) and ROWS / 20 API requests over DAYS days (30) for 3 tenants x 50 servers x 10 tools through the
# real sink;
# then the standalone API server runs with one API token per tenant and wrk measures each endpoint, the
# tenants' tokens in turn. Each endpoint runs twice: as-is (repeated identical queries: the API's TTL cache
# answers most) and with BUST=1 (every request a different window end, back from the newest row loaded:
# the API's TTL cache never answers; the held digest merges of windows over the same buckets do).
# Query plans (EXPLAIN ANALYZE as tenant-1's login, under row-level security) go to
# benchmarks/target/api-at-scale-plans-LAYOUT.txt.
# Usage: bench/api-at-scale.sh [plain|timescale|citus]   (KEEP_DATA=1 reuses a loaded database;
#        DURATION=10s per endpoint, CONNECTIONS=4, ROWS, DAYS, BUST_MODES, WINDOWS="1h 24h 7d 30d",
#        ENDPOINTS="dashboard tools errors servers", EXECUTIONS=0 skips /executions, API_JAR: another
#        build's api-server.jar, to compare two builds on the same data; WARMUP=24 seconds of requests
#        before the first measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
LAYOUT="${1:-plain}"
ROWS="${ROWS:-10000000}"; DAYS="${DAYS:-30}"; DURATION="${DURATION:-10s}"; CONNECTIONS="${CONNECTIONS:-4}"
DB=mcp_bench_api; PORT="${PORT:-7391}"
case "$LAYOUT" in
  plain) PGPORT=5432 ;; timescale) PGPORT=5433 ;; citus) PGPORT=5441 ;;
  *) echo "layout must be plain, timescale or citus, not '$LAYOUT'" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
cp=benchmarks/target/bench-classpath.txt
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -Pbench -pl benchmarks -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$PWD/$cp" -Dmdep.includeScope=provided
fi
mkdir -p benchmarks/target
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -X -q -v ON_ERROR_STOP=1)
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$PGPORT POSTGRES_USER=postgres POSTGRES_DB=$DB MCP_TELEMETRY_STORAGE_LAYOUT=$LAYOUT
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), $("${PSQL[@]}" -Atc 'SHOW server_version' postgres), layout $LAYOUT"

loaded=$("${PSQL[@]}" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres)
if [[ "${KEEP_DATA:-}" != 1 || -z "$loaded" ]]; then
  echo "# loading $ROWS executions over $DAYS days ($(date -u +%T))"
  java -Xmx2g -cp "benchmarks/target/classes:$(tr ':' '\n' < $cp | grep -v mcp-telemetry-agent | paste -sd:)" \
    io.mcphub.telemetry.bench.ApiScaleData layout="$LAYOUT" db=$DB rows="$ROWS" days="$DAYS" sql=bench/api-at-scale.sql \
    2> >(grep -v ' INFO ' >&2)
fi
# windows end at the newest row loaded, not at the clock: a database loaded an hour ago would give its 1 h
# windows no rows, and each later run fewer (its longer windows too, by an hour)
newest=$("${PSQL[@]}" -Atc "SELECT floor(extract(epoch FROM max(started_at)))::bigint + 1 FROM tool_executions WHERE tenant_id = 'tenant-1'" $DB)
echo "# windows end at the newest execution: $(date -u -d "@$newest" +%FT%TZ) (now $(date -u +%FT%TZ))"
tokens=$(for t in 1 2 3; do java -jar "${API_JAR:-api-server/target/api-server.jar}" token create --tenant tenant-$t --label bench 2>/dev/null; done | paste -sd,)

work=$(mktemp -d)
MCP_TELEMETRY_API_PORT=$PORT MCP_TELEMETRY_API_BIND=127.0.0.1 java -Xmx512m -jar "${API_JAR:-api-server/target/api-server.jar}" serve >"$work/api.log" 2>&1 &
api=$!
trap 'kill $api 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do grep -q "listening on" "$work/api.log" && break; sleep 0.1; done
grep -q "listening on" "$work/api.log" || { cat "$work/api.log" >&2; exit 1; }
base="http://127.0.0.1:$PORT"

first=${tokens%%,*}
deep=""
for _ in $(seq 1 21); do # the cursor of page 21: keyset paging costs the same however deep
  deep=$(curl -sf -H "Authorization: Bearer $first" "$base/api/telemetry/executions?limit=50${deep:+&cursor=$deep}" \
    | grep -o '"next_cursor":"[^"]*"' | cut -d'"' -f4)
done

idle() { # requests wrk gave up on may still run in PostgreSQL: let them end before the next measurement
  for _ in $(seq 1 120); do
    [[ $("${PSQL[@]}" -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND state = 'active' AND pid <> pg_backend_pid()" postgres) == 0 ]] && return
    sleep 0.5
  done
}
run() { # $1 label, $2 path, $3 bust
  local out
  idle
  out=$(API_PATH="$2" BUST="$3" TOKENS="$tokens" UNTIL_EPOCH="$newest" wrk -t"$(( CONNECTIONS < 2 ? CONNECTIONS : 2 ))" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s bench/api-at-scale.lua "$base" | grep '^RESULT')
  echo "$1,bust=$3,${out#RESULT }"
}
# a fresh JVM compiles as it goes: warm every endpoint up on both paths (the raw rows up to an hour, the
# rollups beyond) before measuring any (WARMUP seconds in all)
warm=$(( ${WARMUP:-24} / 8 ))
if (( warm > 0 )); then
  for endpoint in dashboard tools errors servers; do
    for window in 1h 24h; do
      API_PATH="/api/telemetry/$endpoint?window=$window" BUST=1 TOKENS="$tokens" UNTIL_EPOCH="$newest" wrk -t2 -c"$CONNECTIONS" -d"${warm}s" \
        --timeout 10s -s bench/api-at-scale.lua "$base" >/dev/null
    done
  done
fi
echo "# $(date -u +%T) uptime: $(uptime)"
for bust in ${BUST_MODES:-1}; do
  for window in ${WINDOWS:-1h 24h 7d 30d}; do
    for endpoint in ${ENDPOINTS:-dashboard tools errors servers}; do
      run "$endpoint-$window" "/api/telemetry/$endpoint?window=$window" "$bust"
    done
  done
done
# /executions takes no window; "until" (bust) is one of its filters, so both runs are uncached alike.
if [[ "${EXECUTIONS:-1}" != 0 ]]; then
  run executions-page1        "/api/telemetry/executions?limit=50" 1
  run executions-page21       "/api/telemetry/executions?limit=50&cursor=$deep" 0
  run executions-server       "/api/telemetry/executions?limit=50&server=server-07" 1
  run executions-server-tool  "/api/telemetry/executions?limit=50&server=server-07&tool=tool_3" 1
  run executions-errors       "/api/telemetry/executions?limit=50&outcome=error" 1
fi
echo "# $(date -u +%T) uptime: $(uptime)"

plans=benchmarks/target/api-at-scale-plans-$LAYOUT.txt
{
  echo "-- plans as tenant-1's login (row-level security applies), layout $LAYOUT, $(date -u)"
  "${PSQL[@]}" -v ON_ERROR_STOP=1 $DB <<'SQL'
BEGIN;
SET LOCAL ROLE "mcpt_tenant-1";
\echo '== totals, 24h (per-tenant minute rollup)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(errors), 0)::bigint FROM tenant_stats_1m
  WHERE tenant_id = 'tenant-1' AND side = 'downstream' AND bucket >= date_trunc('minute', now() - interval '24 hours') AND bucket < now();
\echo '== per-tool latency histograms, 24h (hourly rollup)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT server_name, tool_name, latency_keys, latency_counts FROM tool_latency_1h
  WHERE tenant_id = 'tenant-1' AND side = 'downstream' AND bucket >= date_trunc('hour', now() - interval '24 hours') AND bucket < now();
\echo '== per-tool latency histograms, 30d (daily rollup)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT server_name, tool_name, latency_keys, latency_counts FROM tool_latency_1d
  WHERE tenant_id = 'tenant-1' AND side = 'downstream' AND bucket >= date_trunc('day', now() - interval '30 days') AND bucket < now();
\echo '== percentiles per tool, 1h (exact, raw rows)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT server_name, tool_name, count(*),
  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) FROM tool_executions
  WHERE tenant_id = 'tenant-1' AND started_at >= now() - interval '1 hour' AND started_at < now() AND side = 'downstream' GROUP BY 1, 2;
\echo '== errors by class, 7d (daily error rollup)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT server_name, tool_name, error_class, sum(errors) FROM error_stats_1d
  WHERE tenant_id = 'tenant-1' AND side = 'downstream' AND bucket >= date_trunc('day', now() - interval '7 days') AND bucket < now()
  GROUP BY 1, 2, 3;
\echo '== executions, first page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, started_at FROM tool_executions WHERE tenant_id = 'tenant-1' ORDER BY started_at DESC, id DESC LIMIT 51;
\echo '== executions of one server'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, started_at FROM tool_executions WHERE tenant_id = 'tenant-1' AND server_name = 'server-07' ORDER BY started_at DESC, id DESC LIMIT 51;
\echo '== live stream poll of executions by id'
SELECT max(id) AS maxid FROM tool_executions WHERE tenant_id = 'tenant-1' \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM tool_executions WHERE tenant_id = 'tenant-1' AND id > :maxid - 100 AND id <= :maxid ORDER BY id LIMIT 500;
COMMIT;
SQL
} > "$plans" 2>&1
echo "# plans: $plans"
