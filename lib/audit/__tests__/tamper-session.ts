import pg from "pg";
import { hashEvent } from "../canonical-event";
import { readChainRows } from "../read-chain-rows";
import { superuserUrl } from "./as-role";

/**
 * A superuser session with the append-only triggers switched off (replica mode) inside a transaction that
 * is always rolled back: tests play a thief holding the owner's or a superuser's credentials, hand the
 * tampered session to the verifier, and leave the shared database untouched.
 */
export async function withTamperSession<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: superuserUrl() });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    return await fn(client);
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end();
  }
}

/** A pool look-alike over the tamper session, so code that opens its own transaction runs inside it. */
export function poolOver(client: pg.Client): pg.Pool {
  const wrapped = {
    query: (text: string, params?: unknown[]) => {
      const map: Record<string, string> = {
        BEGIN: "SAVEPOINT inner_tx",
        COMMIT: "RELEASE SAVEPOINT inner_tx",
        ROLLBACK: "ROLLBACK TO SAVEPOINT inner_tx",
      };
      return client.query(map[text] ?? text, params);
    },
    release: () => undefined,
  };
  return { connect: async () => wrapped, query: wrapped.query } as unknown as pg.Pool;
}

/**
 * Edit-and-rehash: changes the row at `seq` and recomputes the hash of it and every later row, so the
 * chain is consistent in itself again (what an attacker with write access does to hide an edit).
 */
export async function editAndRehash(c: pg.Client, seq: bigint, change: Record<string, string>): Promise<void> {
  const set = Object.keys(change)
    .map((k, i) => `"${k}" = $${i + 2}`)
    .join(", ");
  await c.query(`UPDATE "AuditEvent" SET ${set} WHERE seq = $1`, [seq.toString(), ...Object.values(change)]);
  await rehashFrom(c, seq);
}

/** Recomputes prevHash and hash of every row from `seq` on (a rewritten, internally consistent chain). */
export async function rehashFrom(c: pg.Client, seq: bigint): Promise<void> {
  const before = await c.query<{ hash: string }>(`SELECT hash FROM "AuditEvent" WHERE seq < $1 ORDER BY seq DESC LIMIT 1`, [
    seq.toString(),
  ]);
  let prevHash = before.rows[0]?.hash ?? "0".repeat(64);
  for (let after = seq - 1n; ;) {
    const rows = await readChainRows(c, after, 1000);
    for (const row of rows) {
      const hash = hashEvent({ ...row, prevHash });
      await c.query(`UPDATE "AuditEvent" SET "prevHash" = $2, hash = $3 WHERE seq = $1`, [row.seq.toString(), prevHash, hash]);
      prevHash = hash;
    }
    if (rows.length < 1000) break;
    after = rows[rows.length - 1]!.seq;
  }
}
