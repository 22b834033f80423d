/**
 * Compile-time proof (checked by `npx tsc --noEmit -p .`): a service-account token cannot be handed to
 * the Nextcloud client, nor can an unbranded string; it can be an exchange subject_token. The function
 * below is type-checked but never called.
 */
import { describe, expect, it } from "vitest";
import { nextcloudRequest } from "@/lib/oauth/nextcloud-client";
import { exchangeToken } from "@/lib/oauth/exchange-token";
import type { TServiceAccountToken, TUserAccessToken } from "@/lib/oauth/token-types";
import type { TOAuthCallContext } from "@/lib/oauth/report-oauth-event";

async function typeChecksOnly(sa: TServiceAccountToken, user: TUserAccessToken, raw: string, ctx: TOAuthCallContext) {
  const req = { method: "GET", path: "/ocs/v2.php/cloud/user" } as const;
  await nextcloudRequest(user, req, ctx);
  // @ts-expect-error a client_credentials token never reaches Nextcloud
  await nextcloudRequest(sa, req, ctx);
  // @ts-expect-error an unbranded string is not known to be user-bound
  await nextcloudRequest(raw, req, ctx);

  // Its one legal use: the subject_token of an exchange. The result is still a service-account token.
  const exchanged = await exchangeToken({ subjectToken: sa, audience: "nextcloud" }, ctx);
  // @ts-expect-error exchanging a service-account token does not make it user-bound
  await nextcloudRequest(exchanged.accessToken, req, ctx);
  const fromUser = await exchangeToken({ subjectToken: user, audience: "nextcloud" }, ctx);
  await nextcloudRequest(fromUser.accessToken, req, ctx);
  // @ts-expect-error a raw string is not an exchange subject either
  await exchangeToken({ subjectToken: raw, audience: "nextcloud" }, ctx);
}

describe("token brands", () => {
  it("are checked by tsc (this file is in the tsconfig include)", () => {
    expect(typeof typeChecksOnly).toBe("function");
  });
});
