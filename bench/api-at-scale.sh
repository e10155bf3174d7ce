#!/usr/bin/env bash
# Benchmark 4: the telemetry API at scale. Loads ROWS tool executions (default 10 million) over DAYS days
# (30) for 3 tenants x 50 servers x 10 tools into database mcp_bench_api on 127.0.0.1:5432 (plain layout,
# migrated by the standalone API server), starts the standalone server with one API token per tenant,
# and measures each endpoint with wrk (Debian package wrk), the tenants' tokens in turn.
# Each endpoint runs twice: as-is (repeated identical queries: the dashboard's TTL cache answers most)
# and with BUST=1 (every request a different window end: every request goes to PostgreSQL).
# Query plans (EXPLAIN ANALYZE as the application role under row-level security) go to
# benchmarks/target/api-at-scale-plans.txt.
# Usage: bench/api-at-scale.sh            (KEEP_DATA=1 reuses a loaded database; DURATION=20s, CONNECTIONS=4)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-10000000}"; DAYS="${DAYS:-30}"; DURATION="${DURATION:-20s}"; CONNECTIONS="${CONNECTIONS:-4}"
DB=mcp_bench_api; PORT="${PORT:-7391}"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q -pl api-server -am package -DskipTests
fi
mkdir -p benchmarks/target
PSQL=(psql -h 127.0.0.1 -U postgres -X -q -v ON_ERROR_STOP=1)
export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=5432 POSTGRES_USER=postgres POSTGRES_DB=$DB TIMESCALEDB_ENABLED=false
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), $("${PSQL[@]}" -Atc 'SHOW server_version' postgres)"

loaded=$("${PSQL[@]}" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres)
if [[ "${KEEP_DATA:-}" != 1 || -z "$loaded" ]]; then
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" postgres
  java -jar api-server/target/api-server.jar token list >/dev/null   # migrates the new database
  echo "# loading $ROWS executions over $DAYS days ($(date -u +%T))"
  start=$(date +%s)
  "${PSQL[@]}" -v rows="$ROWS" -v days="$DAYS" -f bench/api-at-scale.sql $DB
  echo "# loaded in $(( $(date +%s) - start )) s"
fi
tokens=$(for t in 1 2 3; do java -jar api-server/target/api-server.jar token create --tenant tenant-$t --label bench 2>/dev/null; done | paste -sd,)

work=$(mktemp -d)
MCP_TELEMETRY_API_PORT=$PORT MCP_TELEMETRY_API_BIND=127.0.0.1 java -Xmx512m -jar api-server/target/api-server.jar serve >"$work/api.log" 2>&1 &
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
  out=$(API_PATH="$2" BUST="$3" TOKENS="$tokens" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s bench/api-at-scale.lua "$base" | grep '^RESULT')
  echo "$1,bust=$3,${out#RESULT }"
}
echo "# $(date -u +%T) uptime: $(uptime)"
for bust in 0 1; do
  run dashboard-1h   "/api/telemetry/dashboard" $bust
  run dashboard-24h  "/api/telemetry/dashboard?window=24h" $bust
  run dashboard-7d   "/api/telemetry/dashboard?window=7d" $bust
  run tools-1h       "/api/telemetry/tools" $bust
  run tools-24h      "/api/telemetry/tools?window=24h" $bust
  run errors-24h     "/api/telemetry/errors?window=24h" $bust
  run errors-7d      "/api/telemetry/errors?window=7d" $bust
  run servers        "/api/telemetry/servers" $bust
done
# /executions takes no window; "until" (bust) is one of its filters, so both runs are uncached alike.
run executions-page1        "/api/telemetry/executions?limit=50" 1
run executions-page21       "/api/telemetry/executions?limit=50&cursor=$deep" 0
run executions-server       "/api/telemetry/executions?limit=50&server=server-07" 1
run executions-server-tool  "/api/telemetry/executions?limit=50&server=server-07&tool=tool_3" 1
run executions-errors       "/api/telemetry/executions?limit=50&outcome=error" 1
echo "# $(date -u +%T) uptime: $(uptime)"

plans=benchmarks/target/api-at-scale-plans.txt
{
  echo "-- plans as the application role, tenant tenant-1, $(date -u)"
  "${PSQL[@]}" -v ON_ERROR_STOP=1 $DB <<'SQL'
SET ROLE mcp_hub_app;
BEGIN;
SELECT set_config('mcp.tenant_id', 'tenant-1', true);
\echo '== totals, 24h (rollup)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT coalesce(sum(calls), 0)::bigint, coalesce(sum(errors), 0)::bigint FROM tool_stats_1m
  WHERE bucket >= date_trunc('minute', now() - interval '24 hours') AND bucket < now();
\echo '== percentiles per tool, 24h (raw rows)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT server_name, tool_name, count(*),
  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) FROM tool_executions
  WHERE started_at >= now() - interval '24 hours' AND started_at < now() AND side = 'downstream' GROUP BY 1, 2;
\echo '== executions, first page'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, started_at FROM tool_executions WHERE true ORDER BY started_at DESC, id DESC LIMIT 51;
\echo '== executions of one server'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id, started_at FROM tool_executions WHERE server_name = 'server-07' ORDER BY started_at DESC, id DESC LIMIT 51;
\echo '== errors by class, 7d (raw error rows)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT coalesce(error_class, outcome), count(*) FROM tool_executions
  WHERE started_at >= now() - interval '7 days' AND started_at < now() AND outcome <> 'success' AND side = 'downstream' GROUP BY 1;
\echo '== live stream poll of executions by id'
SELECT max(id) AS maxid FROM tool_executions \gset
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM tool_executions WHERE id > :maxid - 100 AND id <= :maxid ORDER BY id LIMIT 500;
COMMIT;
SQL
} > "$plans" 2>&1
echo "# plans: $plans"
