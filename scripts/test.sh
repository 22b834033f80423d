#!/usr/bin/env bash
# Runs every test: type check, Vitest (unit + integration against the real Keycloak and PostgreSQL),
# a production build, and Playwright through the real Keycloak login pages in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh

bootstrap_node

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Debian's chromium for Playwright"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: Chromium is needed at /usr/bin/chromium (apt-get install -y chromium) or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi

# TEST_PG_BASE names a superuser (it creates databases and roles); the app and the tests connect as the
# least-privilege role ncdd_app, migrations run as ncdd_owner (scripts/migrate-database.ts).
PG_BASE="${TEST_PG_BASE:-postgresql://postgres@127.0.0.1:5432}"
as_app() { node -e 'const u=new URL(process.argv[1]);u.username="ncdd_app";u.password="";console.log(String(u))' "$1"; }
export DATABASE_ADMIN_URL="${DATABASE_ADMIN_URL:-$PG_BASE/postgres}"
export DATABASE_URL="$(as_app "$PG_BASE/ncdd_test")"
export E2E_DATABASE_URL="$(as_app "$PG_BASE/ncdd_e2e")"
# Fresh databases each run: tests seed what they need.
npx tsx scripts/reset-database.ts "$DATABASE_URL" "$E2E_DATABASE_URL"
migrate_database "$E2E_DATABASE_URL"

started_kc=0
if ! scripts/keycloak.sh status >/dev/null 2>&1; then scripts/keycloak.sh start; started_kc=1; fi
# The outage test stops and restarts Keycloak: only when scripts/keycloak.sh manages this Keycloak.
if [ -z "${ALLOW_KEYCLOAK_RESTART:-}" ]; then
  if scripts/keycloak.sh owned; then export ALLOW_KEYCLOAK_RESTART=1; else export ALLOW_KEYCLOAK_RESTART=0; fi
fi
cleanup() { [ "$started_kc" = 1 ] && [ "${KEEP_KEYCLOAK:-0}" != 1 ] && scripts/keycloak.sh stop >/dev/null || true; }
trap cleanup EXIT

# Playwright empties test-results/ when it starts, so the runners report into a folder of their own.
rm -rf .test-reports && mkdir -p .test-reports
echo "==> tsc --noEmit"
npx tsc --noEmit -p .
echo "==> eslint (layering, token brands, promises)"
npx eslint --max-warnings 0 .
echo "==> prettier --check"
npx prettier --check . >/dev/null || { npx prettier --list-different . >&2; echo "error: run npm run format" >&2; exit 1; }
echo "==> vitest"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-reports/vitest.json || status=1
echo "==> next build"
npx next build >.test-reports/next-build.log 2>&1 || { tail -40 .test-reports/next-build.log >&2; exit 1; }
echo "==> playwright"
PLAYWRIGHT_JSON_OUTPUT_NAME=.test-reports/playwright.json npx playwright test --reporter=list,json || status=1

node scripts/summarise-tests.mjs .test-reports/vitest.json .test-reports/playwright.json
exit $status
