const n = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "12.3 kB": decimal units, one decimal from kB up. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return plural(bytes, "byte");
  const units = ["kB", "MB", "GB", "TB"];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

function changes(parts: [number | null, string][]): string {
  const said = parts.filter(([c]) => c).map(([c, what]) => `${c} ${what}`);
  return said.length ? said.join(", ") : "nothing changed since the last run";
}

/**
 * A run's JSON summary in one plain sentence, e.g. "Indexed 3 notes — 1 new or changed." Unknown task
 * types or shapes fall back to "Finished." so raw JSON never reaches the page.
 */
export function describeRunSummary(taskType: string, summary: unknown): string {
  if (!summary || typeof summary !== "object") return "Finished.";
  const s = summary as Record<string, unknown>;
  if (taskType === "notes-index" && n(s.notes) !== null) {
    return `Indexed ${plural(n(s.notes)!, "note")} — ${changes([
      [n(s.indexed), "new or changed"],
      [n(s.removed), "removed"],
    ])}.`;
  }
  if (taskType === "files-inventory" && n(s.files) !== null) {
    const size = n(s.bytes) !== null ? ` (${formatBytes(n(s.bytes)!)})` : "";
    return `Found ${plural(n(s.files)!, "file")} and ${plural(n(s.folders) ?? 0, "folder")}${size} — ${changes([
      [n(s.added), "added"],
      [n(s.changed), "changed"],
      [n(s.removed), "removed"],
    ])}.`;
  }
  return "Finished.";
}

/** What a running task's progress counts, so "3 of 5" says 3 of 5 what. */
export function describeProgress(taskType: string, done: number, total: number | null): string {
  const unit = taskType === "files-inventory" ? "folder" : taskType === "notes-index" ? "note" : "step";
  const verb = taskType === "files-inventory" ? "Looked through" : taskType === "notes-index" ? "Read" : "Done";
  return total === null ? `${verb} ${plural(done, unit)} so far` : `${verb} ${done} of ${plural(total, unit)}`;
}
