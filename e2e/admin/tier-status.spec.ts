import { expect, test } from "@playwright/test";
import { withClientAttributes } from "../../test/keycloak/admin-api";
import { grantThroughConsentScreen } from "../grants/grant-flow";
import { storageStateOf } from "../users";
import { runProbesNow, tierRow } from "./admin-pages";

const WORKER = "nextcloud-mcp-server";
const EXCHANGE_ATTRIBUTE = "standard.token.exchange.enabled";

test.use({ storageState: storageStateOf("admin") });

test("the tier page shows Tier 2 working, Tier 1 refused and service accounts rejected; with the exchange attribute off, Tier 2 fails with the fix", async ({
  page,
}) => {
  test.setTimeout(120_000);
  // The probes act through the admin's own grant.
  await grantThroughConsentScreen(page, "notes-index");

  await page.goto("/admin/tiers");
  await expect(page.getByRole("heading", { name: "Delegation tier status" })).toBeVisible();
  await runProbesNow(page);

  const t2 = tierRow(page, "tier2-token-exchange");
  await expect(t2.getByTestId("tier-status")).toHaveText("works");
  await expect(t2.getByLabel("Token claims")).toContainText(`"azp": "${WORKER}"`);
  await expect(t2.getByLabel("Token claims")).toContainText('"nextcloud"');
  await expect(t2.getByLabel("Token claims")).toContainText('"sub":');

  const t1 = tierRow(page, "tier1-impersonation");
  await expect(t1.getByTestId("tier-status")).toHaveText("refused");
  await expect(t1.getByTestId("tier-evidence")).toContainText(
    "invalid_request: Parameter 'requested_subject' is not supported for standard token exchange",
  );
  await expect(t1.getByTestId("tier-evidence")).toContainText("Legacy V1 token exchange");

  const sa = tierRow(page, "service-accounts");
  await expect(sa.getByTestId("tier-status")).toHaveText("rejected by policy");
  await expect(sa.getByTestId("tier-evidence")).toContainText("admin by another name");
  await expect(sa.getByTestId("tier-evidence")).toContainText("unauthorized_client");
  await expect(sa.getByRole("alert")).toHaveCount(0);

  await expect(tierRow(page, "offline-access").getByTestId("tier-status")).toHaveText("works");
  await expect(tierRow(page, "delegation-act").getByTestId("tier-status")).toHaveText("not detected");
  await expect(page.locator("body")).not.toContainText("eyJ");

  // Keycloak's admin API turns Standard Token Exchange off for the worker; withClientAttributes restores it in finally.
  await withClientAttributes(WORKER, { [EXCHANGE_ATTRIBUTE]: "false" }, async () => {
    await runProbesNow(page);
    await expect(t2.getByTestId("tier-status")).toHaveText("failing");
    await expect(t2.getByTestId("tier-evidence")).toContainText(
      "invalid_request: Standard token exchange is not enabled for the requested client",
    );
    await expect(t2.getByTestId("tier-fix")).toContainText(`In Keycloak, client ${WORKER} → set attribute ${EXCHANGE_ATTRIBUTE}=true`);
    await expect(t2.getByTestId("tier-fix")).toContainText("Capability config → Standard Token Exchange");
  });

  await runProbesNow(page);
  await expect(t2.getByTestId("tier-status")).toHaveText("works");
  await expect(t2.getByTestId("tier-fix")).toHaveText("—");
});
