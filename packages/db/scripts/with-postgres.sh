#!/usr/bin/env bash
# Usage: with-postgres.sh <command...>
# Runs the command with TEST_POSTGRES_URL pointing at a throwaway PostgreSQL cluster on loopback, then stops
# and removes the cluster. Installs PostgreSQL from Debian's packages when it is missing (needs root).
# If TEST_POSTGRES_URL is already set, the command just runs against that server.
set -euo pipefail

if [ -n "${TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi

find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bindir=$(find_bindir)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "with-postgres: PostgreSQL is not installed and installing it needs root; PostgreSQL tests will be skipped." >&2
    exec "$@"
  fi
  echo "with-postgres: installing PostgreSQL from Debian's packages…" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir=$(find_bindir)
fi

dir=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
run() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  run() { runuser -u postgres -- "$@"; }
fi
run "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
run "$bindir/pg_ctl" -D "$dir/data" -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" -l "$dir/server.log" -w start >/dev/null
cleanup() {
  run "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

export TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
"$@"
