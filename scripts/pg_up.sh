#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback and prints the exports to use it (source them from a file,
# never eval "$(…)", which would hide a failed start).
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
D=$(mktemp -d /tmp/fengqing-pg.XXXXXX); chmod 755 "$D"; mkdir "$D/data" "$D/sock"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
AS=""
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$D"; AS="runuser -u postgres --"; fi
$AS "$PGBIN/initdb" -D "$D/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$D/initdb.log" 2>&1
$AS "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $D/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
psql -q -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE fengqing LOGIN CREATEDB PASSWORD 'fengqing'" \
  -c "CREATE DATABASE fengqing OWNER fengqing TEMPLATE template0 ENCODING 'UTF8'" >/dev/null
echo "export FENGQING_PG_TMP=$D FENGQING_PGBIN=$PGBIN"
echo "export FENGQING_TEST_DATABASE_URL=postgresql://fengqing:fengqing@127.0.0.1:$PORT/fengqing"
