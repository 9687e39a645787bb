#!/usr/bin/env bash
# PostgreSQL in CI (issue 18). Two steps, both called by .ci/run:
#
#   .ci/postgres.sh start   installs Debian's postgresql when missing, starts the cluster
#                           (pg_ctlcluster), makes a CI role that may CREATE DATABASE, and prints
#                           the MODELPLAN_TEST_DATABASE URL (the tests create a fresh database per
#                           test app from it: tests/helpers/test-database.ts)
#   .ci/postgres.sh test    the API suite on PostgreSQL (MODELPLAN_TEST_DIALECT=postgres), then the
#                           crash test on PostgreSQL; needs MODELPLAN_TEST_DATABASE
#
# The multi-replica test (tests/multi-replica.test.ts) and the dialect tests run in the main `npm test`,
# which sees MODELPLAN_TEST_DATABASE too. Only the API test files run twice, not the whole repository.
set -euo pipefail
cd "$(dirname "$0")/.."

ROLE=modelplan_ci
PASSWORD=modelplan_ci   # a local, throw-away cluster role: the cluster listens on 127.0.0.1 only

start() {
  # Everything but the URL goes to stderr.
  exec 3>&1 1>&2
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "== installing postgresql"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null)
    else
      echo "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)"
      exit 1
    fi
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }'; then
    echo "== pg_ctlcluster $version main start"
    # A machine restored from a snapshot of a running one keeps the socket's lock file; when another
    # process now has the PID written in it, the server refuses to start. No server is up: remove it.
    # A postgres process with that PID is a server on its way out (the cluster is not online): give it
    # time to exit; one left a zombie (a PID 1 that does not reap) still holds the PID, and the lock.
    local lock=/var/run/postgresql/.s.PGSQL.5432.lock
    if [ -f "$lock" ]; then
      local pid
      pid="$(head -1 "$lock")"
      for _ in $(seq 1 30); do
        ps -p "$pid" -o stat=,comm= 2>/dev/null | grep -q '^[^Z]* *postgres' || break
        sleep 0.5
      done
      if ! ps -p "$pid" -o stat=,comm= 2>/dev/null | grep -q '^[^Z]* *postgres'; then
        rm -f "$lock"
      fi
    fi
    # The server outlives this script: it must not inherit any descriptor beyond 0-2 (fd 3 here is the
    # pipe of the caller's $(...), and CI's own pipes may be open too). A server holding one keeps the
    # reader waiting for an end of file that never comes: CI hung here until its time limit.
    (
      for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
      done
      exec pg_ctlcluster "$version" main start </dev/null
    )
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 0.5
  done
  pg_isready -h 127.0.0.1 -p 5432
  local sql="DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'; END IF; END\$\$;"
  # On stdin: no shell between here and psql expands the $$ of the DO block.
  if [ "$(id -u)" = 0 ]; then echo "$sql" | su postgres -c "psql -q -v ON_ERROR_STOP=1"; else echo "$sql" | psql -q -v ON_ERROR_STOP=1; fi
  echo "postgres://$ROLE:$PASSWORD@127.0.0.1:5432/postgres" >&3
}

run_tests() {
  : "${MODELPLAN_TEST_DATABASE:?run .ci/postgres.sh start first}"
  local started=$SECONDS
  echo "== API suite on PostgreSQL"
  # Left out: files that never reach the database, and the CPU-bound ones whose database part the
  # others cover (plan drawing in Chromium, plan compute timing, calibration fitting threads).
  MODELPLAN_TEST_DIALECT=postgres npx vitest run services/api/test \
    --exclude 'services/api/test/plans-report-browser.test.ts' \
    --exclude 'services/api/test/plan-compute.test.ts' \
    --exclude 'services/api/test/benchmark-fitting.test.ts' \
    --exclude 'services/api/test/*schema-types.test.ts' \
    --exclude 'services/api/test/config.test.ts' \
    --exclude 'services/api/test/measured-hardware.test.ts'
  echo "== crash test on PostgreSQL"
  npx tsx scripts/crash-test.ts --rounds 3 --runner node --database-url "$MODELPLAN_TEST_DATABASE"
  echo "== PostgreSQL checks done in $((SECONDS - started))s"
}

case "${1:-}" in
  start) start ;;
  test) run_tests ;;
  *) echo "usage: .ci/postgres.sh start|test" >&2; exit 2 ;;
esac
