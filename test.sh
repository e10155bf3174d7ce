#!/usr/bin/env bash
# The whole test suite on a fresh machine (README "Quick start"; .ci/run calls exactly this): installs
# what the tests need when it is missing, starts the storage layouts' servers, then runs mvn -B verify.
#  - node/npm: the real MCP servers from npm used by the tests
#  - Debian's chromium (the dashboard's browser test) and prometheus (promtool, the real Prometheus)
#  - PostgreSQL 15 on 127.0.0.1:5432 (plain layout; an embedded one is started when it does not answer)
#  - TimescaleDB on 127.0.0.1:5433 and a Citus cluster on 127.0.0.1:5441-5443, from ../shared
# BUSY_LOOPS=2 ./test.sh runs it beside two CPU-spinning processes (the suite must pass on a busy machine).
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
command -v node >/dev/null || missing+=(nodejs npm)
command -v chromium >/dev/null || missing+=(chromium)
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
shared=${MCP_TEST_SHARED:-../shared}
for script in timescaledb/start.sh citus/start.sh; do
  [ -x "$shared/$script" ] || [ -f "$shared/$script" ] || {
    echo "missing $shared/$script: the TimescaleDB and Citus layout tests need the servers it starts" >&2; exit 1; }
done
echo "starting TimescaleDB (127.0.0.1:5433): $(bash "$shared/timescaledb/start.sh" | tail -1)" >&2
echo "starting Citus (127.0.0.1:5441-5443): $(bash "$shared/citus/start.sh" | tail -1)" >&2
# BUSY_LOOPS=N runs N processes spinning on the CPU beside the suite for its whole run: the suite must pass
# on a machine as busy as a shared CI runner (issue 12, item 12)
busy=()
if [ "${BUSY_LOOPS:-0}" -gt 0 ]; then
  for _ in $(seq 1 "$BUSY_LOOPS"); do
    sh -c 'while :; do :; done' &
    busy+=($!)
  done
  trap 'kill "${busy[@]}" 2>/dev/null || true' EXIT
  echo "running the suite beside $BUSY_LOOPS busy-loop processes (${busy[*]})" >&2
  mvn -B verify "$@"
  exit $?
fi
exec mvn -B verify "$@"
