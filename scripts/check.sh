#!/usr/bin/env bash
# The quality gates without the tests: lint, format, types, migrations, deployment checklist.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test

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
