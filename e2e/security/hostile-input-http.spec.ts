import { expect, test } from "@playwright/test";
import { storageStateOf } from "../users";

test.use({ storageState: storageStateOf("admin") });

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

// The values of the report, through the real server (proxy, route, service): 400 naming the field.
const CASES: [string, string][] = [
  ["/api/admin/audit?q=ab%00cd", "q"],
  ["/api/admin/audit?from=200000", "from"],
  ["/api/admin/audit?to=-271821-04-20T00:00:00Z", "to"],
  [`/api/admin/audit?cursor=${b64("ae1:99999999999999999999")}`, "cursor"],
  ["/api/admin/audit/chart?q=ab%00cd", "q"],
  ["/api/admin/audit/chart?from=200000", "from"],
  ["/api/admin/audit/chart?to=-271821-04-20T00:00:00Z", "to"],
  ["/api/admin/audit/export?q=ab%00cd", "q"],
  ["/api/admin/audit/export?subject=%27%20OR%201%3D1", "subject"],
  ["/api/admin/audit?outcome=success&outcome=failure", "outcome"],
];

for (const [path, field] of CASES) {
  test(`${path} answers 400 naming ${field}`, async ({ request }) => {
    const res = await request.get(path);
    expect(res.status()).toBe(400);
    expect(await res.json()).toMatchObject({ code: "BadInput", field });
  });
}
