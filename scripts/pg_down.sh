#!/usr/bin/env bash
# Stops the PostgreSQL started by pg_up.sh and removes its folder.
set -u
[ -n "${FENGQING_PG_TMP:-}" ] || exit 0
AS=""; [ "$(id -u)" = 0 ] && AS="runuser -u postgres --"
$AS "$FENGQING_PGBIN/pg_ctl" -D "$FENGQING_PG_TMP/data" -m fast -w stop >/dev/null 2>&1
rm -rf "$FENGQING_PG_TMP"
