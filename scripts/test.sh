#!/usr/bin/env bash
# ruff and mypy (configured in pyproject.toml), then the whole suite on SQLite, then again on a throwaway PostgreSQL (or on FENGQING_TEST_DATABASE_URL if given).
set -euo pipefail
cd "$(dirname "$0")/.."
export FONTCONFIG_FILE="$PWD/src/fengqing/report/fonts.conf" CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export FENGQING_HOME="$(mktemp -d /tmp/fengqing-test-home.XXXXXX)"
make -s setup  # a no-op unless pyproject.toml changed (new tools such as ruff and mypy get installed)
echo "=== 检查：ruff（代码规范）、mypy（类型） ==="
.venv/bin/ruff check .
.venv/bin/mypy
PYTEST=(.venv/bin/python -m pytest -q -rs --screenshot only-on-failure --output test-results "$@")

run() {  # label, then the database URL ("" for SQLite)
  echo "=== 测试：$1 ==="
  set +e; FENGQING_DATABASE_URL="$2" "${PYTEST[@]}"; local rc=$?; set -e
  if [ $rc -eq 5 ]; then echo "没有收集到任何测试" >&2; exit 1; fi
  [ $rc -eq 0 ] || exit $rc
}

run SQLite ""
if [ -z "${FENGQING_TEST_DATABASE_URL:-}" ]; then
  PGENV=$(mktemp)
  scripts/pg_up.sh >"$PGENV" || { echo "无法启动 PostgreSQL" >&2; exit 1; }
  . "$PGENV"; rm -f "$PGENV"
  trap 'scripts/pg_down.sh' EXIT
fi
run PostgreSQL "$FENGQING_TEST_DATABASE_URL"
