#!/usr/bin/env bash
# Starts the demo hub (no MCP servers configured), waits until it says it is listening, stops it.
# The time of the whole is the hub's start (plus a SIGTERM and its exit): run with and without the agent.
# Usage: hub-until-listening.sh [-javaagent:...]
set -euo pipefail
dir=$(mktemp -d)
echo '{"mcpServers": {}}' > "$dir/servers.json"
java -Xmx512m "$@" -jar demo-hub/target/demo-hub.jar --config "$dir/servers.json" --port 0 > "$dir/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$dir/out.log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log" >&2; exit 1; }
  sleep 0.01
done
kill -TERM "$pid"; wait "$pid" || true
rm -rf "$dir"
