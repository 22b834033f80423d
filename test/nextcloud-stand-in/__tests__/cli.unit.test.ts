import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill("SIGTERM");
  child = undefined;
});

describe("CLI (npx tsx test/nextcloud-stand-in/main.ts)", () => {
  it("prints the stand-in warning and its URL, and serves there", async () => {
    child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["test/nextcloud-stand-in/main.ts"], {
      cwd: repoRoot,
      env: { ...process.env, STANDIN_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const proc = child;
    const output = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`CLI did not print its URL in time:\n${out}`)), 20_000);
      proc.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (/listening on http:\/\/\S+/.test(out)) {
          clearTimeout(timer);
          resolve(out);
        }
      });
      proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
      proc.once("exit", (code) => reject(new Error(`CLI exited with ${code}:\n${out}`)));
    });
    expect(output).toContain("WARNING: Nextcloud stand-in — not a real Nextcloud");
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    const health = (await (await fetch(`${url}/__stand-in/health`)).json()) as { standIn: boolean };
    expect(health.standIn).toBe(true);
  });
});
