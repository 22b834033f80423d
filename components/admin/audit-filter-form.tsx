"use client";

import { useState, type FormEvent } from "react";
import type { TAuditFilterKey, TAuditFilterValues } from "./audit-filters";

const TEXT_FIELDS: { key: TAuditFilterKey; label: string; placeholder: string }[] = [
  { key: "subject", label: "On behalf of (subject)", placeholder: "username (e.g. alice) or user id" },
  { key: "actor", label: "Actor", placeholder: "username, client id or user id" },
  { key: "action", label: "Action", placeholder: "e.g. grant.consent" },
  { key: "taskId", label: "Task", placeholder: "task id" },
  { key: "q", label: "Search text", placeholder: "3+ characters, any field" },
];

// <input type="datetime-local"> has no zone; this page works in UTC like every time it shows.
const toInput = (iso: string | undefined) => (iso ? iso.slice(0, 16) : "");
const fromInput = (v: string) => (v ? `${v}:00.000Z` : "");

/** The filter form. Values are strings; the server validates them and says what is wrong. */
export function AuditFilterForm({ initial, onApply }: { initial: TAuditFilterValues; onApply: (f: TAuditFilterValues) => void }) {
  const [draft, setDraft] = useState<TAuditFilterValues>(initial);
  const set = (k: TAuditFilterKey, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)));
  };
  const field = "mt-1 w-full min-w-0 rounded border border-slate-400 bg-white px-2 py-1 text-sm";
  return (
    <form
      onSubmit={submit}
      aria-label="Audit filters"
      className="grid grid-cols-1 gap-3 rounded border bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      {TEXT_FIELDS.map((f) => (
        <label key={f.key} className="text-sm text-slate-700">
          {f.label}
          <input className={field} value={draft[f.key] ?? ""} placeholder={f.placeholder} onChange={(e) => set(f.key, e.target.value)} />
        </label>
      ))}
      <label className="text-sm text-slate-700">
        Outcome
        <select className={field} value={draft.outcome ?? ""} onChange={(e) => set("outcome", e.target.value)}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="refused">refused</option>
          <option value="pending">pending</option>
        </select>
      </label>
      <label className="text-sm text-slate-700">
        From (UTC)
        <input
          type="datetime-local"
          className={field}
          value={toInput(draft.from)}
          onChange={(e) => set("from", fromInput(e.target.value))}
        />
      </label>
      <label className="text-sm text-slate-700">
        To (UTC)
        <input type="datetime-local" className={field} value={toInput(draft.to)} onChange={(e) => set("to", fromInput(e.target.value))} />
      </label>
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
          Apply filters
        </button>
        <button
          type="button"
          className="rounded border px-3 py-1.5 text-sm hover:bg-slate-100"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
