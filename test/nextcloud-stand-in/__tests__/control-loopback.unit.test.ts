import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextcloudStandIn, type TNextcloudStandIn } from "../start-stand-in";
import { startLocalIssuer } from "./local-issuer";

const externalIPv4 = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === "IPv4")?.address;

let issuer: Awaited<ReturnType<typeof startLocalIssuer>>;
let standIn: TNextcloudStandIn;

beforeAll(async () => {
  issuer = await startLocalIssuer();
  standIn = await startNextcloudStandIn({ port: 0, host: "0.0.0.0", issuer: issuer.issuer });
});
afterAll(async () => {
  await standIn?.close();
  await issuer?.close();
});

describe("control endpoints", () => {
  it("answer on 127.0.0.1", async () => {
    expect((await fetch(`${standIn.url}/__stand-in/health`)).status).toBe(200);
  });

  // Needs a non-loopback interface to connect from; machines without one cannot exercise this.
  it.skipIf(!externalIPv4)(
    "refuse callers that are not on the loopback interface, even when the server listens on all interfaces",
    async () => {
      const port = new URL(standIn.url).port;
      const res = await fetch(`http://${externalIPv4}:${port}/__stand-in/requests`);
      expect(res.status).toBe(403);
      const reset = await fetch(`http://${externalIPv4}:${port}/__stand-in/reset`, { method: "POST" });
      expect(reset.status).toBe(403);
    },
  );
});
