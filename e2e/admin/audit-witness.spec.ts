import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eEnv } from "../e2e-env";
import { contextAs } from "./admin-pages";

const env = e2eEnv();

// The thief: a superuser connection to the browser tests' database (as with a stolen owner credential).
function superuserClient(): pg.Client {
  const url = new URL(env.DATABASE_URL!);
  const admin = new URL(env.DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  url.username = admin.username;
  url.password = admin.password;
  return new pg.Client({ connectionString: url.toString() });
}

// Rows come back exactly as stored, so the restore at the end re-creates the same chain.
type TRow = Record<string, unknown> & { seq: string };
const CHAIN_LOCK = "5639426218342564948"; // AUDIT_CHAIN_LOCK_ID in lib/audit/record-event.ts

test("an admin's saved export proves that the newest audit rows were deleted behind the app's back", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await contextAs(browser, "admin");
  const page = await admin.newPage();
  await page.goto("/admin/audit");
  const integrity = page.getByRole("region", { name: "Audit trail integrity" });

  // A fresh checkpoint, then the page is green: the trail verifies against it.
  await page.getByRole("button", { name: "Sign checkpoint now" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Signed a checkpoint|Nothing new to sign/ })).toBeVisible();
  await page.reload();
  await expect(integrity).toContainText("Verified against the newest signed checkpoint");
  await expect(page.getByTestId("checkpoint-age")).toContainText(/ago/);

  // The admin keeps an export: it carries the checkpoint signed right after the export was recorded.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
  const saved = await download.path();
  // NDJSON: a head line with the checkpoint, then one event per line, newest first.
  const [head, ...events] = readFileSync(saved, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as unknown);
  const exported = { ...(head as { checkpoint: { headSeq: string; count: string } }), events: events as { seq: string }[] };
  expect(exported.checkpoint).not.toBeNull();
  const newest3 = exported.events
    .slice(0, 3)
    .map((e) => e.seq)
    .reverse();
  expect(newest3).toHaveLength(3);

  // Behind the app's back: a superuser switches the triggers off and deletes everything from the third-newest exported row.
  const db = superuserClient();
  await db.connect();
  let deleted: TRow[] = [];
  try {
    await db.query("BEGIN");
    await db.query("SELECT pg_advisory_xact_lock($1::bigint)", [CHAIN_LOCK]);
    await db.query("SET LOCAL session_replication_role = replica");
    deleted = (await db.query<TRow>(`SELECT * FROM "AuditEvent" WHERE seq >= $1 ORDER BY seq`, [newest3[0]])).rows;
    await db.query(`DELETE FROM "AuditEvent" WHERE seq >= $1`, [newest3[0]]);
    await db.query("COMMIT");
    const before = (await db.query<{ seq: string }>(`SELECT max(seq)::text AS seq FROM "AuditEvent"`)).rows[0]!.seq;

    // The page turns red and names the gap.
    await page.reload();
    const banner = page.getByRole("alert").filter({ hasText: "Audit rows are missing" });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(`after seq ${before}`);
    await expect(banner).toContainText(`through seq ${exported.checkpoint.headSeq}`);

    // Verifying the saved export (upload box) says which exported rows are missing.
    await page.getByLabel("Saved export, checkpoint or receipt").setInputFiles(saved);
    await page.getByRole("button", { name: "Verify file" }).click();
    const verdict = page.getByRole("alert").filter({ hasText: "NOT verified" });
    await expect(verdict).toContainText(`3 exported rows are missing from the trail: seq ${newest3[0]}–${newest3[2]}`);

    // …and so does the command line, with the same file.
    const cli = await promisify(execFile)("npx", ["tsx", "scripts/verify-audit.ts", "--against", saved], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: env.DATABASE_URL,
        AUDIT_CHECKPOINT_KEYS: env.AUDIT_CHECKPOINT_KEYS,
        AUDIT_CHECKPOINT_DIR: env.AUDIT_CHECKPOINT_DIR,
      } as unknown as NodeJS.ProcessEnv,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`3 exported rows are missing from the trail: seq ${newest3[0]}–${newest3[2]}`);
  } finally {
    // Put the trail back exactly as it was (rows written meanwhile linked to the hole: they go).
    if (deleted.length) {
      await db.query("BEGIN");
      await db.query("SELECT pg_advisory_xact_lock($1::bigint)", [CHAIN_LOCK]);
      await db.query("SET LOCAL session_replication_role = replica");
      await db.query(`DELETE FROM "AuditEvent" WHERE seq >= $1`, [newest3[0]]);
      for (const r of deleted) {
        const cols = Object.keys(r);
        await db.query(
          `INSERT INTO "AuditEvent" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
          cols.map((c) => (r[c] !== null && typeof r[c] === "object" && !(r[c] instanceof Date) ? JSON.stringify(r[c]) : r[c])),
        );
      }
      await db.query("COMMIT");
    }
    await db.end();
  }
  await page.reload();
  await expect(integrity).toContainText("Verified against the newest signed checkpoint");
  await admin.close();
});
