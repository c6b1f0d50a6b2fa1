#!/usr/bin/env bash
# The whole test suite: quality gates, then the tests on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test
WORKERS="${TREMPLIN_TEST_WORKERS:-2}"
started=$SECONDS

bash scripts/system-packages.sh --browser

bash scripts/check.sh

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/pytest -n "$WORKERS" -q

pg_answers() { $BIN/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2).close()" 2>/dev/null; }
if ! pg_answers && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  sleep 2
fi
if pg_answers; then
  echo "== tests on PostgreSQL"
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/tremplin" $BIN/pytest -n "$WORKERS" -q
else
  echo "== PostgreSQL does not answer on 127.0.0.1:5432: PostgreSQL pass skipped"
fi
echo "== whole run: $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"
