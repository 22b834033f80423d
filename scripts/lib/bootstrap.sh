# Sourced by scripts/up.sh and scripts/test.sh: installs what a fresh clone lacks, from npm only.
# Nothing here downloads binaries outside npm, apt and Maven.

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' is required: $2" >&2; exit 1; }; }

bootstrap_node() {
  need node "install Node.js 20.19+ (e.g. apt-get install -y nodejs npm, or from nodejs.org)"
  need npm "install npm 10+"
  local stamp=node_modules/.package-lock.stamp
  if [ ! -d node_modules ] || [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    echo "==> npm ci"
    npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
  # @prisma/client's install script is not run by npm 11 (unapproved scripts), and it would try to
  # download an engine anyway: generate the Rust-free client explicitly, offline.
  # npm ci leaves a placeholder client behind, so compare a stamp of the schema we last generated from.
  local gen_stamp=node_modules/.prisma/client/.generated-from
  if ! sha256sum prisma/schema.prisma | cmp -s - "$gen_stamp"; then
    echo "==> prisma generate"
    DATABASE_URL="${DATABASE_URL:-postgresql://localhost/unused}" npx prisma generate >/dev/null
    sha256sum prisma/schema.prisma > "$gen_stamp"
  fi
}

# Applies migrations to the database of $1 (a postgresql:// URL), creating it first unless $2 = existing.
migrate_database() {
  [ "${2:-}" = existing ] || npx tsx scripts/ensure-database.ts "$1"
  echo "==> prisma migrate deploy ($(echo "$1" | sed -E 's#^.*/##'))"
  DATABASE_URL="$1" npx prisma migrate deploy >/tmp/ncdd-migrate.log 2>&1 || { cat /tmp/ncdd-migrate.log >&2; exit 1; }
}
