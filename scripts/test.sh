#!/usr/bin/env bash
# The whole test suite: quality gates, then the tests on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test
WORKERS="${TREMPLIN_TEST_WORKERS:-2}"

bash scripts/system-packages.sh --browser

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== mypy (strict on tremplin/)"
$BIN/mypy tremplin

echo "== migrations are up to date"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null

echo "== deployment checklist with production settings"
DJANGO_SETTINGS_MODULE=config.settings.production \
  DJANGO_SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  TREMPLIN_ENCRYPTION_KEYS="$($BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
  DATABASE_URL="sqlite:////tmp/tremplin-deploy-check.sqlite3" \
  DJANGO_ALLOWED_HOSTS="tremplin.example.org" \
  $BIN/python manage.py check --deploy --fail-level WARNING

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
