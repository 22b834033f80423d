import { execFileSync } from "node:child_process";
import pg from "pg";
import { testEnv } from "./test-env";

/** Creates the test database if needed and applies migrations once per test run. */
export default async function setup() {
  const url = new URL(testEnv().DATABASE_URL!);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new Error(`Refusing to run tests against a non-local database (${url.hostname}).`);
  }
  const dbName = url.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = $1", [dbName]);
  if (exists.rowCount === 0) await client.query(`create database "${dbName.replace(/"/g, "")}"`);
  await client.end();
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ["ignore", "ignore", "inherit"],
  });
}
