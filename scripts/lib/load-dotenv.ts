import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/**
 * Fills process.env from the repository's `.env` (what `scripts/up.sh` writes) without overriding
 * anything already set, exactly as up.sh does. Every script calls it first, so none needs `.env`
 * exported by hand. NCDD_DOTENV=0 turns it off (tests that need an exact environment); NCDD_DOTENV=<file>
 * reads that file instead (tests that show a script really reads one). Returns whether a file was read.
 */
export function loadDotenv(file = path.resolve(import.meta.dirname, "../../.env")): boolean {
  const choice = process.env.NCDD_DOTENV;
  if (choice === "0") return false;
  const source = choice ? path.resolve(choice) : file;
  if (!existsSync(source)) return false;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(source, "utf8")))) {
    if (process.env[key] === undefined || process.env[key] === "") process.env[key] = value;
  }
  return true;
}
