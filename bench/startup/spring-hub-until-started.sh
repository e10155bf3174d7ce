#!/usr/bin/env bash
# Starts the Spring Boot hub (benchmarks/spring-boot-hub: Spring Boot 3.5, spring-boot-starter-web, Spring AI
# 1.1.2's spring-ai-starter-mcp-client) connected to the MCP server at TOOLS_URL (streamable HTTP, /mcp), waits
# until it says it is started (after Spring AI initialized its MCP client and the app listed the server's
# tools), stops it with SIGTERM. The time of the whole is the application's start including the MCP connect
# (plus a SIGTERM and its exit): run with and without an agent.
# Usage: spring-hub-until-started.sh TOOLS_URL [JVM args, e.g. -javaagent:...]
set -euo pipefail
cd "$(dirname "$0")/../.."
url=$1; shift
dir=$(mktemp -d)
java -Xmx512m "$@" -jar benchmarks/spring-boot-hub/target/spring-boot-hub.jar \
  --spring.ai.mcp.client.streamable-http.connections.java-tools.url="$url" > "$dir/out.log" 2>&1 &
pid=$!
deadline=$((SECONDS + 300))
until grep -qs "spring-boot-hub started" "$dir/out.log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log" >&2; rm -rf "$dir"; exit 1; }
  (( SECONDS < deadline )) || { echo "spring-boot-hub did not start in 300 s" >&2; cat "$dir/out.log" >&2; kill -KILL "$pid"; rm -rf "$dir"; exit 1; }
  sleep 0.01
done
# a started line without the server's tools means the MCP client did not connect: fail the run
grep "spring-boot-hub started" "$dir/out.log" | grep -q "tools=\[echo" || { cat "$dir/out.log" >&2; kill -KILL "$pid"; rm -rf "$dir"; exit 1; }
kill -TERM "$pid"; wait "$pid" || true
rm -rf "$dir"
