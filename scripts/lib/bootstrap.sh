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

# Brings the database of $1 (the app's postgresql:// URL) up to date with least privilege: creates it and
# both roles (as DATABASE_ADMIN_URL, a superuser), migrates as the owner (DATABASE_OWNER_URL), installs the
# job queue, and grants the app role what it needs (scripts/migrate-database.ts).
migrate_database() {
  echo "==> migrate $(echo "$1" | sed -E 's#^.*/##') (owner role runs migrations, app role gets DML; audit trail: SELECT, INSERT)"
  npx tsx scripts/migrate-database.ts "$1" >/tmp/ncdd-migrate.log 2>&1 || { cat /tmp/ncdd-migrate.log >&2; exit 1; }
  grep -i '^warning' /tmp/ncdd-migrate.log >&2 || true
}
