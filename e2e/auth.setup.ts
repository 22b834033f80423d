import { test as setup } from "@playwright/test";
import { signInThroughKeycloak } from "./sign-in";
import { storageStateOf, type TUserKey } from "./users";

for (const user of ["alice", "bob", "admin"] as TUserKey[]) {
  setup(`sign in as ${user} through Keycloak`, async ({ page }) => {
    await signInThroughKeycloak(page, user);
    await page.context().storageState({ path: storageStateOf(user) });
  });
}
