import { afterAll, describe, expect, it } from "vitest";
import { db } from "../../db";
import { recordAuditEvent } from "../record-event";
import { withClient } from "./as-role";
import { testAuditAction } from "@/test/test-audit-action";

// The product's own connection (DATABASE_URL): must be the least-privilege app role.
const asApp = <T>(fn: Parameters<typeof withClient<T>>[1]) => withClient(process.env.DATABASE_URL!, fn);

afterAll(async () => {
  await db().$disconnect();
});

describe("the app role (DATABASE_URL)", () => {
  it("is no superuser, owns nothing and cannot create roles, databases or bypass row security", async () => {
    await asApp(async (c) => {
      const { rows } = await c.query(
        `SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = current_user`,
      );
      expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: false });
      const owned = await c.query(
        `SELECT count(*)::int AS n FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
      );
      expect(owned.rows[0].n).toBe(0);
      const schemas = await c.query(
        `SELECT count(*)::int AS n FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
      );
      expect(schemas.rows[0].n).toBe(0);
    });
  });

  it("cannot disable the audit table's triggers, nor switch to replica mode to skip them", async () => {
    await asApp(async (c) => {
      await expect(c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
      await expect(c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
      await expect(c.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`SELECT set_config('session_replication_role', 'replica', false)`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`DROP TRIGGER "AuditEvent_no_update_delete" ON "AuditEvent"`)).rejects.toThrow(/must be owner/);
      await expect(
        c.query(`CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE sql AS 'SELECT NULL'`),
      ).rejects.toThrow(/must be owner|permission denied/);
    });
  });

  it("may only INSERT and SELECT on the audit table: UPDATE, DELETE and TRUNCATE are refused by privilege", async () => {
    const { seq } = await recordAuditEvent({
      actor: "t",
      actorType: "system",
      action: testAuditAction("audit.privilege-probe"),
      outcome: "success",
      correlationId: "lp",
    });
    await asApp(async (c) => {
      const rights = await c.query(
        `SELECT p AS privilege, has_table_privilege(current_user, '"AuditEvent"', p) AS granted
           FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p`,
      );
      expect(Object.fromEntries(rights.rows.map((r) => [r.privilege, r.granted]))).toEqual({
        SELECT: true,
        INSERT: true,
        UPDATE: false,
        DELETE: false,
        TRUNCATE: false,
        REFERENCES: false,
        TRIGGER: false,
      });
      await expect(c.query(`UPDATE "AuditEvent" SET outcome = 'failure' WHERE seq = $1`, [seq.toString()])).rejects.toThrow(
        /permission denied/,
      );
      await expect(c.query(`DELETE FROM "AuditEvent" WHERE seq = $1`, [seq.toString()])).rejects.toThrow(/permission denied/);
      await expect(c.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`SELECT setval(pg_get_serial_sequence('"AuditEvent"', 'seq'), 1)`)).rejects.toThrow(/permission denied/);
    });
    expect((await db().auditEvent.findUniqueOrThrow({ where: { seq } })).outcome).toBe("success");
  });

  it("still does the product's work: DML on its other tables and the job queue's tables", async () => {
    await asApp(async (c) => {
      const { rows } = await c.query(
        `SELECT has_table_privilege(current_user, '"Grant"', 'UPDATE') AS grant_update,
                has_table_privilege(current_user, '"Task"', 'DELETE') AS task_delete,
                has_table_privilege(current_user, 'pgboss.job', 'UPDATE') AS job_update,
                has_table_privilege(current_user, '"_prisma_migrations"', 'INSERT') AS migrations_insert,
                has_schema_privilege(current_user, 'public', 'CREATE') AS create_in_public`,
      );
      expect(rows[0]).toEqual({
        grant_update: true,
        task_delete: true,
        job_update: true,
        migrations_insert: false,
        create_in_public: false,
      });
    });
  });
});
