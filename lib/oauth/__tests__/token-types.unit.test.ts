/**
 * Compile-time proof (checked by `npx tsc --noEmit -p .`): a service-account token cannot be handed to
 * the Nextcloud client, nor can an unbranded string; it can be an exchange subject_token. The function
 * below is type-checked but never called.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import ts from "typescript";
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

void typeChecksOnly;

const THIS_FILE = fileURLToPath(import.meta.url);

/** Type-checks `text` as this file (same folder, same tsconfig) and returns the diagnostics' codes and lines. */
function typeCheckAsThisFile(text: string): { code: number; line: number }[] {
  const configPath = ts.findConfigFile(path.dirname(THIS_FILE), ts.sys.fileExists, "tsconfig.json")!;
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, path.dirname(configPath));
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile;
  host.readFile = (f) => (path.resolve(f) === THIS_FILE ? text : readFile(f));
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (f, lang, onError, create) =>
    path.resolve(f) === THIS_FILE ? ts.createSourceFile(f, text, lang, true) : getSourceFile(f, lang, onError, create);
  const program = ts.createProgram([THIS_FILE], { ...parsed.options, noEmit: true }, host);
  const file = program.getSourceFile(THIS_FILE)!;
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => ({
    code: d.code,
    line: file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
  }));
}

describe("token brands", () => {
  const source = readFileSync(THIS_FILE, "utf8");
  const expected = source.split("\n").flatMap((l, i) => (l.includes("// @ts-expect-" + "error") ? [i + 2] : []));

  it("type-check: every misuse above is an error the compiler reports, and nothing else is", { timeout: 60_000 }, () => {
    expect(expected).toHaveLength(4);
    // As written (with the directives), the file is clean: no unused directive, no stray error.
    expect(typeCheckAsThisFile(source)).toEqual([]);
    // Without the directives, exactly the four misuses fail, each as a type-mismatch error on its own line.
    const bare = source.replaceAll("// @ts-expect-" + "error", "// (directive removed)");
    const errors = typeCheckAsThisFile(bare);
    expect(errors.map((e) => e.line)).toEqual(expected);
    expect(errors.every((e) => e.code === 2345 || e.code === 2322)).toBe(true);
  });
});
