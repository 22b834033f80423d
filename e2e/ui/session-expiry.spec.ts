import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eEnv } from "../e2e-env";
import { signInThroughKeycloak } from "../sign-in";
import { USERS } from "../users";

/** Ends bob's dashboard sessions opened since `since` (as sign-out or back-channel logout would), leaving older ones alone. */
async function endSessionsSince(username: string, since: Date): Promise<number> {
  const client = new pg.Client({ connectionString: e2eEnv().DATABASE_URL });
  await client.connect();
  try {
    const r = await client.query(
      `UPDATE "LoginSession" SET "endedAt" = now()
       WHERE "endedAt" IS NULL AND "createdAt" >= $2 AND "userSub" IN (SELECT sub FROM "User" WHERE username = $1)`,
      [username, since],
    );
    return r.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

test("a session that ends while /tasks is open goes to sign-in and comes back to /tasks", async ({ browser }) => {
  // A fresh sign-in of its own (not the saved state other specs share), so ending it touches nobody else.
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  const since = new Date(Date.now() - 1000);
  await signInThroughKeycloak(page, "bob");
  await page.goto("/tasks");
  await expect(page.getByRole("heading", { name: "Background tasks" })).toBeVisible();

  expect(await endSessionsSince(USERS.bob.username, since)).toBeGreaterThan(0);

  // The next poll answers 401: the page goes to sign-in, remembering where it was.
  await page.waitForURL(/\/signin\?callbackUrl=%2Ftasks$/, { timeout: 15_000 });
  await expect(page.getByRole("status")).toContainText("Your session has ended");
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  // Keycloak may still hold its own session (then it returns at once) or ask for the password again.
  await page.waitForURL((url) => url.pathname === "/tasks" || url.host.includes("8180"));
  if (new URL(page.url()).host.includes("8180")) {
    await page.getByRole("textbox", { name: "Username or email" }).fill(USERS.bob.username);
    await page.getByRole("textbox", { name: "Password" }).fill(USERS.bob.password);
    await page.getByRole("button", { name: /sign in/i }).click();
  }
  await page.waitForURL((url) => url.pathname === "/tasks");
  await expect(page.getByRole("heading", { name: "Background tasks" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toHaveText(USERS.bob.name);
  await context.close();
});

test("the sign-in page never sends people to another site", async ({ page }) => {
  await page.goto("/signin?callbackUrl=https%3A%2F%2Fevil.example%2F");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveCount(0);
});
