#!/usr/bin/env bash
# The main command: starts everything a user needs locally — Keycloak (official distribution),
# PostgreSQL schema, the dashboard, the worker, and (when no Nextcloud is configured) the Nextcloud
# stand-in — then prints where to go and how to sign in. Ctrl-C stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh

bootstrap_node

if [ ! -f .env ]; then
  echo "==> creating .env with fresh secrets (edit it to point at your own Keycloak/Nextcloud/PostgreSQL)"
  sed -e "s|^NEXTAUTH_SECRET=.*|NEXTAUTH_SECRET=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')|" \
      -e "s|^TOKEN_VAULT_KEYS=.*|TOKEN_VAULT_KEYS=k$(date +%Y%m%d):$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')|" \
      .env.example > .env
fi
# Audit checkpoints are signed with an Ed25519 key kept outside the database (an older .env gets one added).
if ! grep -q '^AUDIT_CHECKPOINT_KEYS=.' .env || grep -q '^AUDIT_CHECKPOINT_KEYS=__generate__' .env; then
  sed -i '/^AUDIT_CHECKPOINT_KEYS=/d' .env
  echo "AUDIT_CHECKPOINT_KEYS=c$(date +%Y%m%d):$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')" >> .env
fi
# .env fills in what the environment does not already set (explicit variables win).
while IFS='=' read -r key value; do
  [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] && [ -z "${!key:-}" ] && export "$key=$value"
done < .env
app_port="$(node -e 'const u=new URL(process.env.NEXTAUTH_URL||"http://localhost:3000");console.log(u.port||80)')"

pids=()
# Each child runs in its own process group so Ctrl-C stops it and everything it spawned.
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if npx tsx scripts/ensure-database.ts "$DATABASE_URL" 2>/tmp/ncdd-db.err; then
  migrate_database "$DATABASE_URL" existing
elif [ "${EMBEDDED_POSTGRES:-auto}" = 0 ]; then
  cat /tmp/ncdd-db.err >&2; exit 1
else
  # No PostgreSQL here: fall back to an embedded one (PGlite, from npm) so the product still starts.
  cat /tmp/ncdd-db.err >&2
  pg_port="${EMBEDDED_POSTGRES_PORT:-54329}"
  echo "==> starting the embedded PostgreSQL (PGlite) on 127.0.0.1:$pg_port — development only; set DATABASE_URL for a real server"
  setsid npx tsx scripts/embedded-postgres.ts "${NCDD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nextcloud-delegation-dashboard}/pglite" "$pg_port" &
  pids+=($!)
  for _ in $(seq 1 60); do (echo > "/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null && break; sleep 1; done
  # The app connects as the role that owns nothing; migrations run as the owner (both made by the scripts).
  export DATABASE_URL="postgresql://ncdd_app@127.0.0.1:$pg_port/postgres"
  migrate_database "$DATABASE_URL" existing
fi

# The product itself gets only the app role's URL: the owner and superuser URLs stop here.
unset DATABASE_OWNER_URL DATABASE_ADMIN_URL

scripts/keycloak.sh start
npx tsx scripts/preflight.ts

if [ "${SKIP_BUILD:-0}" != 1 ]; then echo "==> next build"; npx next build >/tmp/ncdd-build.log 2>&1 || { tail -40 /tmp/ncdd-build.log >&2; exit 1; }; fi

nc_url="${NEXTCLOUD_URL:-http://localhost:8280}"
if [[ "$nc_url" == http://localhost:8280* ]] && ! curl -s -o /dev/null "$nc_url/status.php"; then
  echo "==> no Nextcloud at $nc_url: starting the Nextcloud STAND-IN (test double, not a real Nextcloud)"
  STANDIN_PORT=8280 setsid npx tsx test/nextcloud-stand-in/main.ts &
  pids+=($!)
fi

if [ -f lib/jobs/worker-main.ts ]; then
  echo "==> starting the background worker"
  setsid npx tsx --conditions=react-server lib/jobs/worker-main.ts &
  pids+=($!)
fi

setsid npx next start -p "$app_port" &
pids+=($!)
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://localhost:$app_port/signin" && break; sleep 1; done

cat <<MSG

  Nextcloud Delegation Dashboard is running:   ${NEXTAUTH_URL:-http://localhost:3000}
  Sign in (local-only users):  alice / alice-local-only   bob / bob-local-only   admin / admin-local-only (admin)
  Keycloak admin console:      http://localhost:8180/admin  (kcadmin / kcadmin-local-only, local only)
  Nextcloud:                   $nc_url
  Stop with Ctrl-C (Keycloak keeps running: scripts/keycloak.sh stop).

MSG
wait -n "${pids[@]}"
