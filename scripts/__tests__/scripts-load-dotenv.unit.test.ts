import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Issue 10 item 6: every operator script loads `.env` itself, before it reads the environment or imports a
// module that does (dynamic imports run in order; static ones only define functions that read env() later).

const SCRIPTS = path.resolve(import.meta.dirname, "..");

describe("every scripts/*.ts loads .env itself", () => {
  const files = readdirSync(SCRIPTS).filter((f) => f.endsWith(".ts"));

  it.each(files)("%s calls loadDotenv() first", (file) => {
    const source = readFileSync(path.join(SCRIPTS, file), "utf8");
    expect(source).toMatch(/^import \{ loadDotenv \} from "\.\/lib\/load-dotenv";$/m);
    const call = source.search(/^loadDotenv\(\);$/m);
    expect(call, "a top-level loadDotenv(); statement").toBeGreaterThan(0);
    for (const later of [/process\.env/, /await import\(/, /\benv\(\)/]) {
      const first = source.search(later);
      if (first >= 0) expect(first, `${String(later)} before loadDotenv()`).toBeGreaterThan(call);
    }
  });

  it("covers the scripts there are", () => {
    expect(files).toEqual(
      expect.arrayContaining(["preflight.ts", "embedded-postgres.ts", "verify-audit.ts", "rotate-vault-keys.ts", "screenshots.ts"]),
    );
  });
});
