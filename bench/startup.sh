#!/usr/bin/env bash
# Benchmark: what the agent adds to a JVM's start (issue 11, item 4), side by side with the OpenTelemetry Java
# agent (issue 11, item 5). Three subjects, each timed as a whole process (start to exit):
#  1. hello:  a trivial main, `java Hello` (prints one line and returns);
#  2. hub:    the demo hub (Jetty 12, the MCP SDK 2.1.0, no MCP servers) from its launch until it says it
#             listens, then SIGTERM (bench/startup/hub-until-listening.sh);
#  3. spring: a Spring Boot 3.5 web application with Spring AI 1.1.2's spring-ai-starter-mcp-client
#             (benchmarks/spring-boot-hub) connected at start to the Java SDK tool server over streamable HTTP,
#             until it says it is started (its MCP client initialized and the server's tools listed), then
#             SIGTERM (bench/startup/spring-hub-until-started.sh). The tool server is started once, before.
# Each subject gets two paired comparisons, each against its own runs without any agent (pairs A B A B ...,
# the ratio taken pair by pair; quote medians):
#    "ours vs none": -javaagent:agent/target/mcp-telemetry-agent.jar=$args (a database on 127.0.0.1:5432,
#                    database mcp_bench_startup, connected in the background; no API server, no spill file,
#                    no metric sampling), so that the figure is the agent's own start-up and exit;
#    "OTel vs none": only the OpenTelemetry Java agent 2.22.0 (benchmarks/target/otel, fetched by the
#                    benchmarks module), exporters off (traces, metrics, logs: none).
# Two comparisons rather than one three-way run: each ratio is taken against the baseline runs interleaved with it. A summary line per subject gives both medians' added seconds.
# After the trivial main, one run with class-load logging prints where premain's time goes: when the agent's
# entry class loads, when Byte Buddy's AgentBuilder loads, and when the program's main class loads.
# After the Spring Boot subject, the database shows that the agent instrumented it (mcp_servers, tools).
# Usage: bench/startup.sh [runs=10]
#        SUBJECTS="spring" OTEL=0 bench/startup.sh runs=2     # one subject, without the OTel comparisons
# SUBJECTS (default "hello hub spring") picks subjects; OTEL=0 skips the OTel comparisons; SKIP_BUILD=1 builds
# nothing (otherwise whatever of the agent, demo hub, OTel agent and Spring Boot hub is missing is built).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}; runs=${runs#runs=}
SUBJECTS=${SUBJECTS:-hello hub spring}; OTEL=${OTEL:-1}
jar=agent/target/mcp-telemetry-agent.jar
otel_jar=benchmarks/target/otel/opentelemetry-javaagent.jar
spring_jar=benchmarks/spring-boot-hub/target/spring-boot-hub.jar
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  for f in "$jar" demo-hub/target/demo-hub.jar "$otel_jar" "$spring_jar"; do
    [ -f "$f" ] || { mvn -B -q -Pbench -pl agent,demo-hub,benchmarks,benchmarks/spring-boot-hub -am package -DskipTests; break; }
  done
fi
out=$(mktemp -d); toolpid=
cleanup() { [ -z "$toolpid" ] || kill "$toolpid" 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT
args="postgres.host=127.0.0.1,postgres.db=mcp_bench_startup,api.enabled=false,spill.maxMb=0,metricsIntervalMs=0"
ours="-javaagent:$jar=$args"
otel="-javaagent:$otel_jar -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none"
echo "# uptime: $(uptime)"

# compare NAME TIMEOUT BASELINE_CMD -- CMD...: one paired comparison (bench/startup/Paired.java: A B A B ...,
# after one pair not counted), its report kept in $out/NAME.txt
compare() {
  local name=$1 timeout=$2 base=$3; shift 4
  echo "## $name"
  java bench/startup/Paired.java "$runs" "$timeout" "$*" "$base" | tee "$out/$name.txt"
  # a run that failed (a start that did not finish, a hub that did not connect) makes the figures meaningless
  if grep -E '^[AB] exit' "$out/$name.txt" | grep -qE ' [1-9][0-9]*( |$)'; then
    echo "# WARNING: $name: some runs exited non-zero (see 'exit' above): its figures are not start-up times"
  fi
}
median() { awk -v k="$2" '$0 ~ "^"k" " {print $(NF-1)}' "$out/$1.txt"; }
# summary SUBJECT: added median wall seconds and the median of the pair ratios, ours and OTel's
summary() {
  local s=$1 line="# $1 summary (median wall s): none $(median "$1-ours" 'B wall s'), ours $(median "$1-ours" 'A wall s') (A/B $(median "$1-ours" 'A/B wall'))"
  [[ "$OTEL" != 1 ]] || line+="; none $(median "$s-otel" 'B wall s'), OTel $(median "$s-otel" 'A wall s') (A/B $(median "$s-otel" 'A/B wall'))"
  echo "$line"
}

for subject in $SUBJECTS; do
  case $subject in
    hello)
      javac -d "$out" bench/startup/Hello.java
      compare hello-ours 600 "java -cp $out Hello" -- java "$ours" -cp "$out" Hello
      [[ "$OTEL" != 1 ]] || compare hello-otel 600 "java -cp $out Hello" -- java $otel -cp "$out" Hello
      summary hello
      java -Xlog:class+load:file="$out/classes.txt":uptime "$ours" -cp "$out" Hello >/dev/null 2>&1
      awk '/McpTelemetryAgent source/{print "premain starts     " $1} /bytebuddy.agent.builder.AgentBuilder source/{print "Byte Buddy loads   " $1}
           / Hello source/{print "main class loads   " $1}' "$out/classes.txt"
      echo "classes loaded in all: $(wc -l < "$out/classes.txt"), of them the agent's shaded Byte Buddy: $(grep -c 'shaded.net.bytebuddy' "$out/classes.txt")"
      ;;
    hub)
      # a real application's start: the demo hub (Jetty, the MCP SDK) until it listens, then stopped
      echo "# demo hub, start until listening, then SIGTERM"
      compare hub-ours 900 "bench/startup/hub-until-listening.sh" -- bench/startup/hub-until-listening.sh "$ours"
      [[ "$OTEL" != 1 ]] || compare hub-otel 900 "bench/startup/hub-until-listening.sh" -- bench/startup/hub-until-listening.sh $otel
      summary hub
      ;;
    spring)
      # a Spring Boot application with Spring AI's MCP client, until started and connected, then stopped
      java -Xmx256m -cp demo-hub/target/demo-hub.jar io.mcphub.demohub.sample.JavaToolServer --port 0 >"$out/tools.log" 2>&1 &
      toolpid=$!
      for _ in $(seq 1 600); do grep -qs "listening on" "$out/tools.log" && break; sleep 0.1; done
      tools=$(grep -o "http://127.0.0.1:[0-9]*" "$out/tools.log" | head -1)
      [ -n "$tools" ] || { echo "the tool server did not start" >&2; cat "$out/tools.log" >&2; exit 1; }
      echo "# Spring Boot hub (Spring AI MCP client -> tool server $tools), start until started, then SIGTERM"
      s=bench/startup/spring-hub-until-started.sh
      compare spring-ours 1800 "$s $tools" -- $s "$tools" "$ours"
      [[ "$OTEL" != 1 ]] || compare spring-otel 1800 "$s $tools" -- $s "$tools" $otel
      summary spring
      # the agent instrumented the Spring AI client: its server and tools are in the database
      # (this run's tool server by its endpoint: the database is kept, and may hold other runs' rows)
      psql -h 127.0.0.1 -U postgres -d mcp_bench_startup -Atc "SELECT '# agent check: server ' || server_name || ' (' || transport || ', '
          || endpoint || ', last connected ' || last_connected_at || '), '
          || (SELECT count(*) FROM tools t WHERE t.tenant_id = s.tenant_id AND t.server_name = s.server_name) || ' tools recorded'
          FROM mcp_servers s WHERE endpoint = '$tools/mcp'" 2>&1 | grep . || echo "# WARNING: agent check: no server with endpoint $tools/mcp recorded in mcp_bench_startup" 
      kill "$toolpid" 2>/dev/null || echo "# WARNING: the tool server had exited before the end: runs after that failed to connect"
      wait "$toolpid" 2>/dev/null || true; toolpid=
      ;;
    *) echo "unknown subject $subject (hello, hub, spring)" >&2; exit 2 ;;
  esac
done
