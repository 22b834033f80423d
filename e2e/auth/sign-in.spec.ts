import { expect, test } from "@playwright/test";
import { signInThroughKeycloak } from "../sign-in";
import { storageStateOf } from "../users";

test.describe("an ordinary user", () => {
  test.use({ storageState: storageStateOf("alice") });

  test("sees their name after signing in through Keycloak", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Welcome, Alice Liddell" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  });

  test("gets 403 on an admin page", async ({ page }) => {
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "403 — Forbidden" })).toBeVisible();
  });

  test("never receives a Keycloak token in the session or the page", async ({ page }) => {
    await page.goto("/");
    const html = await page.content();
    const session = await (await page.request.get("/api/auth/session")).text();
    for (const text of [html, session]) {
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
      expect(text).not.toMatch(/access_token|refresh_token|id_token/);
    }
  });
});

test.describe("the admin", () => {
  test.use({ storageState: storageStateOf("admin") });

  test("sees the admin area", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Admin", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Admin area" })).toBeVisible();
  });
});

test("signing out ends the Keycloak session, so signing in asks for a password again", async ({ page }) => {
  await signInThroughKeycloak(page, "bob");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  await expect(page.getByText("Your dashboard session and your Keycloak session have ended.")).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  // Keycloak shows its login form again instead of silently signing the user back in.
  await expect(page.getByRole("textbox", { name: "Password" })).toBeVisible();
});
