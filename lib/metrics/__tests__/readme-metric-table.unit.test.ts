import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Counter, Gauge, Histogram, Summary, type Metric } from "prom-client";
import { describe, expect, it } from "vitest";
import { clusterMetrics } from "../cluster-metrics";
import { processMetrics } from "../process-metrics";

// The README's metric table is what operators write alerts against: it must name every metric the code
// registers, with its type, labels and the process that exposes it, and nothing the code does not register.

const ROOT = path.resolve(import.meta.dirname, "../../..");

type TRow = { name: string; type: string; labels: string[]; where: string };

/** The rows of the table under "### Metrics" in README.md (`process_*`-style rows keep their `*`). */
function readmeRows(): TRow[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^### Metrics$/m)[1]?.split(/^#{2,3} /m)[0];
  if (!section) throw new Error('README.md has no "### Metrics" section');
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  return rows.flatMap((line) => {
    const [names, type, labels, where] = line
      .split("|")
      .slice(1, 5)
      .map((cell) => cell.trim());
    // A label cell lists label names in backticks; the values a label takes are in parentheses after it.
    const labelNames = [...labels!.replace(/\([^)]*\)/g, "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    return [...names!.matchAll(/`([^`]+)`/g)].map((m) => ({ name: m[1]!, type: type!, labels: labelNames, where: where! }));
  });
}

function typeOf(metric: Metric): string {
  if (metric instanceof Counter) return "counter";
  if (metric instanceof Gauge) return "gauge";
  if (metric instanceof Histogram) return "histogram";
  if (metric instanceof Summary) return "summary";
  return "unknown";
}

/** Every metric the code registers: the per-process registry (app and worker) and the app's cluster gauges. */
function registeredRows(): TRow[] {
  const of = (metrics: unknown[], where: string) =>
    metrics.map((m) => {
      const { name, labelNames } = m as { name: string; labelNames: string[] };
      return { name, type: typeOf(m as Metric), labels: [...labelNames], where };
    });
  return [...of(processMetrics().registry.getMetricsAsArray(), "worker|both"), ...of(clusterMetrics().getMetricsAsArray(), "app")];
}

/** Metric names constructed anywhere in lib (outside tests), so a metric in a new registry is not missed. */
function namesInSource(dir = path.join(ROOT, "lib")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "__tests__" ? [] : namesInSource(full);
    if (!entry.name.endsWith(".ts")) return [];
    const source = readFileSync(full, "utf8");
    return [...source.matchAll(/new (?:Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\(\{\s*name:\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]!);
  });
}

const matches = (row: TRow, name: string) => (row.name.endsWith("*") ? name.startsWith(row.name.slice(0, -1)) : row.name === name);

describe("README's metric table (Operations › Metrics)", () => {
  const readme = readmeRows();
  const registered = registeredRows();

  it("is found and parsed", () => {
    expect(readme.length).toBeGreaterThan(10);
    expect(registered.filter((r) => r.name.startsWith("ncdd_")).length).toBeGreaterThan(10);
  });

  it("lists every metric the code registers, and only those", () => {
    const undocumented = registered.filter((r) => !readme.some((row) => matches(row, r.name))).map((r) => r.name);
    expect(undocumented, "registered in lib/metrics but missing from README's metric table").toEqual([]);
    const unregistered = readme.filter((row) => !registered.some((r) => matches(row, r.name))).map((row) => row.name);
    expect(unregistered, "in README's metric table but not registered").toEqual([]);
    const registeredNames = new Set(registered.map((r) => r.name));
    expect(
      namesInSource().filter((name) => !registeredNames.has(name)),
      "constructed in lib but in neither processMetrics() nor clusterMetrics(): this test cannot see its registry",
    ).toEqual([]);
  });

  it("gives each ncdd_ metric its real type, labels and the process that exposes it", () => {
    const problems: string[] = [];
    for (const r of registered.filter((x) => x.name.startsWith("ncdd_"))) {
      const row = readme.find((x) => x.name === r.name);
      if (!row) continue;
      if (row.type !== r.type) problems.push(`${r.name}: README says ${row.type}, registered as ${r.type}`);
      if (row.labels.join(",") !== r.labels.join(","))
        problems.push(`${r.name}: README labels [${row.labels.join(", ")}], registered [${r.labels.join(", ")}]`);
      if (!r.where.split("|").includes(row.where)) problems.push(`${r.name}: README says "${row.where}", exposed by ${r.where}`);
    }
    expect(problems).toEqual([]);
  });
});
