#!/usr/bin/env bash
# Builds everything, then runs the demo: the demo MCP hub (no telemetry code in it) with the telemetry
# agent attached, connected to two real MCP servers (@modelcontextprotocol/server-everything over stdio
# and a Java SDK server over streamable HTTP), writing to an embedded PostgreSQL unless POSTGRES_HOST is set.
# Ctrl-C stops everything. Override the hub port with HUB_PORT (default 8080), the Java server's with
# TOOLS_PORT (9001); DEMO_SKIP_BUILD=1 uses the jars already built (the test that runs this script).
set -euo pipefail
cd "$(dirname "$0")"
HUB_PORT="${HUB_PORT:-8080}"
TOOLS_PORT="${TOOLS_PORT:-9001}"

[ "${DEMO_SKIP_BUILD:-}" = 1 ] || mvn -B -q -DskipTests package

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

java -cp demo-hub/target/demo-hub.jar io.mcphub.demohub.sample.JavaToolServer --port "$TOOLS_PORT" &
pids+=($!)

config="$(mktemp -d)/demo-servers.json"
cat > "$config" <<JSON
{"mcpServers": {
  "everything": {"command": "node",
                 "args": ["$PWD/demo-hub/mcp-servers/node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"]},
  "java-tools": {"url": "http://127.0.0.1:$TOOLS_PORT/mcp"}
}}
JSON
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$TOOLS_PORT") 2>/dev/null && break; sleep 0.2; done

# the hub's output is kept too: the agent logs there the URL its telemetry API really serves on
hub_log="$(dirname "$config")/hub.log"
java -javaagent:agent/target/mcp-telemetry-agent.jar=tenant=demo,hubName=demo-hub,metricsIntervalMs=5000 \
     -jar demo-hub/target/demo-hub.jar --config "$config" --port "$HUB_PORT" > >(tee "$hub_log") 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$HUB_PORT/api/health" >/dev/null 2>&1 && break; sleep 0.3; done

echo
echo "== demo hub on http://127.0.0.1:$HUB_PORT — making a few tool calls through it"
curl -s "http://127.0.0.1:$HUB_PORT/api/servers"; echo
for i in 1 2 3; do
  curl -s -XPOST "http://127.0.0.1:$HUB_PORT/api/servers/everything/tools/echo/call" -d "{\"message\":\"hello $i\"}"; echo
  curl -s -XPOST "http://127.0.0.1:$HUB_PORT/api/servers/java-tools/tools/add/call" -d "{\"a\":$i,\"b\":40}"; echo
done
curl -s -XPOST "http://127.0.0.1:$HUB_PORT/api/servers/java-tools/tools/fail/call" -d '{}'; echo
echo
echo "== telemetry is in PostgreSQL (embedded: psql -h 127.0.0.1 -p 54329 -U postgres mcp_hub_telemetry), e.g."
echo "   SELECT mcp_use_tenant('demo');   -- the demo's tenant only, as its API sees it (NULL: every tenant)"
echo "   SELECT server_name, tool_name, outcome, duration_us FROM tool_executions ORDER BY started_at DESC LIMIT 10;"
echo "   SELECT * FROM tool_stats_1h;"
# The API starts once the database is there (a first embedded start runs initdb), on api.port or, when
# that is taken, on a free port: the agent's INFO line says which.
dashboard=""
for _ in $(seq 600); do
  dashboard="$(grep -ao 'telemetry API and dashboard on http://[^ ]*/' "$hub_log" | tail -1 | sed 's/.* on //')" || true
  [ -n "$dashboard" ] && break
  grep -aq 'telemetry API not started' "$hub_log" && break
  kill -0 "${pids[1]}" 2>/dev/null || break
  sleep 0.2
done
echo
if [ -n "$dashboard" ]; then
  echo "== dashboard (telemetry API): $dashboard"
  echo "   e.g. curl -s ${dashboard}api/telemetry/servers"
else
  echo "== the telemetry API did not start (see the hub's log above: $hub_log)"
fi
echo "== Ctrl-C to stop"
wait
