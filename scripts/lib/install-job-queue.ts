import PgBoss from "pg-boss";

/** The queues the worker uses, created by the owner so the app role never needs CREATE (see task-queue.ts). */
const QUEUES: { name: string; policy: "stately" }[] = [{ name: "task-run", policy: "stately" }];

/**
 * Installs pg-boss's schema and the worker's queues as the OWNER role, at migration time. pg-boss creates
 * a table per queue when a queue is first made; doing that here lets the app role stay a role that owns
 * nothing (it only gets DML on pg-boss's tables). The worker applies retry and expiry settings at start.
 */
export async function installJobQueue(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: ownerUrl, schema: "pgboss", max: 2, supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
  try {
    for (const q of QUEUES) {
      if (!(await boss.getQueue(q.name))) await boss.createQueue(q.name, { name: q.name, policy: q.policy });
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
