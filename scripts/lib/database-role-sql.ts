/** Quotes an SQL identifier (role, database or schema name). */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Statements that create a login role when it is missing and pin its attributes: never superuser, never
 * able to create roles or databases, never bypassing row security, no replication. Idempotent, so every
 * set-up script may run them; a password in the URL becomes the role's password (none under trust auth).
 */
export function ensureLoginRoleSql(role: string, password: string): string[] {
  const attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
  const pw = password ? ` PASSWORD ${literal(password)}` : "";
  return [
    `DO ${literal(`BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(role)}) THEN CREATE ROLE ${ident(role)} ${attributes}; END IF; END`)}`,
    `ALTER ROLE ${ident(role)} ${attributes}${pw}`,
  ];
}

/**
 * Grants the app role what the product needs and nothing more, run as the owner after every migration:
 * plain DML on the product's tables, except the audit trail (SELECT and INSERT only) and its hourly rollup
 * (SELECT only), the sequences it draws ids from, and the job queue's schema (which the owner installed). The migration bookkeeping is
 * read-only. Default privileges make tables a later migration adds usable the same way.
 */
export function grantAppRoleSql(appRole: string, ownerRole: string): string[] {
  const app = ident(appRole);
  return [
    `GRANT USAGE ON SCHEMA public TO ${app}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`,
    `REVOKE ALL ON "AuditEvent" FROM ${app}`,
    `GRANT SELECT, INSERT ON "AuditEvent" TO ${app}`,
    // Derived from the audit trail by a trigger that runs as the owner: the app only reads it.
    `REVOKE ALL ON "AuditHourlyCount" FROM ${app}`,
    `GRANT SELECT ON "AuditHourlyCount" TO ${app}`,
    `REVOKE ALL ON "AuditHourlyTotal" FROM ${app}`,
    `GRANT SELECT ON "AuditHourlyTotal" TO ${app}`,
    `REVOKE ALL ON "_prisma_migrations" FROM ${app}`,
    `GRANT SELECT ON "_prisma_migrations" TO ${app}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${app}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(ownerRole)} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(ownerRole)} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`,
    `GRANT USAGE ON SCHEMA pgboss TO ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${app}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO ${app}`,
    `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pgboss TO ${app}`,
  ];
}
