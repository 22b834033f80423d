import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/**
 * Fills process.env from the repository's `.env` (what `scripts/up.sh` writes) without overriding
 * anything already set, exactly as up.sh does. Every script calls it first, so none needs `.env`
 * exported by hand. NCDD_DOTENV=0 turns it off (tests that need an exact environment). Returns whether a
 * file was read.
 */
export function loadDotenv(file = path.resolve(import.meta.dirname, "../../.env")): boolean {
  if (process.env.NCDD_DOTENV === "0" || !existsSync(file)) return false;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
    if (process.env[key] === undefined || process.env[key] === "") process.env[key] = value;
  }
  return true;
}
