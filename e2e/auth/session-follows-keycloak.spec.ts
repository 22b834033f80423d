import { expect, test } from "@playwright/test";
import { adminFetch } from "../../test/keycloak/admin-api";
import { createThrowawayPerson, deleteThrowawayPerson, signInAs, type TThrowawayPerson } from "../fixtures/throwaway-person";

let person: TThrowawayPerson | undefined;
test.afterEach(async () => deleteThrowawayPerson(person));

test("Keycloak's 'sign out' ends the dashboard session within seconds (back-channel): pages, APIs and the session endpoint", async ({
  page,
}) => {
  person = await createThrowawayPerson("e2e-session", ["dashboard-admin"]);
  await signInAs(page, person);
  expect((await page.request.get("/api/admin/audit")).status()).toBe(200);
  expect(await (await page.request.get("/api/auth/session")).json()).toMatchObject({ user: { username: person.username } });

  await adminFetch(`/users/${person.sub}/logout`, { method: "POST" });

  await expect.poll(async () => (await page.request.get("/api/grants")).status(), { timeout: 10_000 }).toBe(401);
  expect((await page.request.get("/api/admin/audit")).status()).toBe(401);
  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
  await page.goto("/access");
  await expect(page).toHaveURL(/\/signin/);
});
