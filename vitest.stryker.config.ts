import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * Vitest as Stryker runs it: only the test files named in STRYKER_TESTS (comma-separated), so each module
 * of the security core is mutated against the tests that guard it (scripts/mutation-test.mjs).
 */
const tests = (process.env.STRYKER_TESTS ?? "").split(",").filter(Boolean);
if (tests.length === 0) throw new Error("STRYKER_TESTS names no test file (run through npm run test:mutation)");

// scripts/mutation-test.mjs migrates the database once; a global setup per mutant run would cost seconds each.
export default defineConfig({ ...base, test: { ...base.test, include: tests, globalSetup: [] } });
