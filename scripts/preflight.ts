/** `npx tsx scripts/preflight.ts`: exits 1 with a readable list of what to fix before starting. */
import { runPreflight } from "../lib/preflight/run-preflight";
import { loadDotenv } from "./lib/load-dotenv";

// Fills only what is unset: up.sh's exported values (and a deployment's real environment) still win.
loadDotenv();

const result = await runPreflight(process.env);
if (!result.ok) {
  console.error("Cannot start the Delegation Dashboard:\n" + result.problems.map((p) => `  - ${p}`).join("\n"));
  process.exit(1);
}
console.log("preflight: configuration, database and Keycloak are fine");
