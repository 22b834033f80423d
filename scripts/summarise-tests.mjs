// Prints one closing line over every runner: "tests: N passed, N failed, N skipped".
import { readFileSync, existsSync } from "node:fs";

let passed = 0,
  failed = 0,
  skipped = 0;
// Every skip is named with its reason (a skipped describe carries it in its title; Playwright in its annotation).
const skippedNames = [];
const [vitestFile, playwrightFile] = process.argv.slice(2);
if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += v.numPassedTests ?? 0;
  // A file that fails to load has no failed tests but is a failed suite: count it once.
  failed += v.numFailedTests || v.numFailedTestSuites || 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  for (const file of v.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (["pending", "skipped", "todo"].includes(t.status)) skippedNames.push(`${[...(t.ancestorTitles ?? []), t.title].join(" > ")}`);
    }
  }
} else failed += 1;
if (playwrightFile && existsSync(playwrightFile)) {
  const s = JSON.parse(readFileSync(playwrightFile, "utf8")).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  if (s.flaky) console.log(`note: ${s.flaky} browser test(s) passed only on retry (flaky)`);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== "skipped") continue;
        const why = (t.annotations ?? []).find((a) => a.type === "skip")?.description;
        skippedNames.push(`${spec.title}${why ? ` [skipped: ${why}]` : " [skipped: no reason given]"}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of JSON.parse(readFileSync(playwrightFile, "utf8")).suites ?? []) walk(suite);
} else failed += 1;
for (const name of skippedNames) console.log(`skipped: ${name}`);
console.log(
  `tests: ${passed} passed, ${failed} failed, ${skipped} skipped${skippedNames.length ? ` (why: see the ${skippedNames.length} "skipped:" line(s) above)` : ""}`,
);
