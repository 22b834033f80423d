import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { e2eEnv } from "../e2e-env";
import { e2eQuery } from "../e2e-db";
import { storageStateOf } from "../users";

test.use({ storageState: storageStateOf("admin") });

/** A worker process of this spec's own (node runs tsx itself, so the child's pid is the worker's). */
function startWorker(): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/jobs/worker-main.ts"], {
    env: { ...process.env, ...e2eEnv(), WORKER_HTTP_PORT: "0", WORKER_HEARTBEAT_SECONDS: "1", WORKER_CONCURRENCY: "3", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

test("the Workers page shows a running worker live, and it disappears when the worker stops", async ({ page }) => {
  test.setTimeout(90_000);
  const goneId = `e2e-gone-${randomUUID()}`;
  // A worker that died without saying goodbye: its heartbeat stopped two minutes ago.
  await e2eQuery(
    `INSERT INTO "WorkerHeartbeat" ("id", "host", "pid", "startedAt", "concurrency", "runsInFlight", "lastBeatAt")
     VALUES ($1, 'crashed-host', 424242, now() - interval '10 minutes', 1, 0, now() - interval '2 minutes')`,
    [goneId],
  );
  const worker = startWorker();
  try {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workers" }).click();
    await expect(page.getByRole("heading", { name: "Workers" })).toBeVisible();

    const row = page.locator(`tr[data-worker-pid="${worker.pid}"]`);
    await expect(row).toBeVisible({ timeout: 45_000 });
    await expect(row).toHaveAttribute("data-state", "live");
    await expect(row.getByRole("cell").nth(0)).toHaveText("live");
    await expect(row.getByRole("cell").nth(4)).toHaveText("3");
    await expect(row.getByRole("cell").nth(6)).toHaveText(/^\d+ s ago$/);

    const gone = page.locator('tr[data-worker-pid="424242"]');
    await expect(gone).toHaveAttribute("data-state", "gone");
    await expect(gone.getByRole("cell").nth(0)).toHaveText("gone");

    await expect(page.getByTestId("outbox-pending")).toHaveText(/^\d+$/);
    await expect(page.getByTestId("queue-waiting")).toHaveText(/^\d+$/);

    worker.kill("SIGTERM");
    await exited(worker);
    // No reload: the page's poll notices the row is gone.
    await expect(row).toHaveCount(0, { timeout: 20_000 });
    await expect(gone).toHaveCount(1);
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
    await e2eQuery(`DELETE FROM "WorkerHeartbeat" WHERE "id" = $1`, [goneId]);
  }
});
