import { expect, type Page } from "@playwright/test";
import { USERS, type TUserKey } from "./users";

/** Signs in through the real Keycloak login page, starting from the dashboard's sign-in button. */
export async function signInThroughKeycloak(page: Page, user: TUserKey) {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await page.waitForURL(/\/realms\/nextcloud-mcp\/protocol\/openid-connect\/auth|login-actions/);
  await page.getByRole("textbox", { name: "Username or email" }).fill(USERS[user].username);
  await page.getByRole("textbox", { name: "Password" }).fill(USERS[user].password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page.getByTestId("signed-in-user")).toHaveText(USERS[user].name);
}
