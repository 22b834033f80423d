// Prints one closing line over every runner: "tests: N passed, N failed, N skipped".
import { readFileSync, existsSync } from "node:fs";

let passed = 0, failed = 0, skipped = 0;
const [vitestFile, playwrightFile] = process.argv.slice(2);
if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += v.numPassedTests ?? 0;
  // A file that fails to load has no failed tests but is a failed suite: count it once.
  failed += v.numFailedTests || v.numFailedTestSuites || 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else failed += 1;
if (playwrightFile && existsSync(playwrightFile)) {
  const s = JSON.parse(readFileSync(playwrightFile, "utf8")).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  if (s.flaky) console.log(`note: ${s.flaky} browser test(s) passed only on retry (flaky)`);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
} else failed += 1;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
