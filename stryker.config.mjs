// @ts-check
/**
 * StrykerJS on one module of the security core at a time: scripts/mutation-test.mjs sets STRYKER_MODULE,
 * STRYKER_MUTATE (files to mutate) and STRYKER_TESTS (the tests that guard them). Per-test coverage, so a
 * mutant runs only the tests that reach it; incremental, so a rerun only tests what changed.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const moduleName = process.env.STRYKER_MODULE ?? "all";
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts", related: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: "perTest",
  mutate: (process.env.STRYKER_MUTATE ?? "").split(",").filter(Boolean),
  // 2 shared cores: 1 by default, STRYKER_CONCURRENCY=2 when the machine is quiet.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 30_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `reports/mutation/${moduleName}/stryker-incremental.json`,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: `reports/mutation/${moduleName}/mutation.html` },
  jsonReporter: { fileName: `reports/mutation/${moduleName}/mutation.json` },
  // One sandbox folder per module, so two modules may run at once.
  tempDirName: `.stryker-tmp-${moduleName}`,
  cleanTempDir: "always",
  ignorePatterns: [
    "node_modules",
    ".next",
    "reports",
    ".stryker-tmp*",
    "test-results",
    ".test-reports",
    "playwright-report",
    "e2e/.auth",
    "screenshots",
  ],
  thresholds: { high: 90, low: 85, break: null },
};
