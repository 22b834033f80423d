"use client";

import { useState } from "react";
import type { TWitnessVerification } from "@/lib/audit/verify-witness";

/**
 * Upload box: checks a saved export, checkpoint or receipt against the trail as it is now and says what
 * holds or what is missing (the server does the work; the file is sent as is, same-origin only).
 */
export function WitnessUpload() {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TWitnessVerification | null>(null);
  const [error, setError] = useState<string | null>(null);

  const verify = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await fetch("/api/admin/audit/verify", {
        method: "POST",
        body: file,
        headers: { "content-type": "application/octet-stream" },
      });
      const body = (await res.json().catch(() => ({}))) as TWitnessVerification & { error?: string };
      if (!res.ok) setError(body.error ?? `HTTP ${res.status}`);
      else setResult(body);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label="Verify a saved export"
      className="space-y-2 rounded border p-3"
      onSubmit={(e) => {
        e.preventDefault();
        void verify();
      }}
    >
      <label className="block text-sm font-medium">
        Saved export, checkpoint or receipt
        <input
          type="file"
          accept=".csv,.json,application/json,text/csv"
          className="mt-1 block text-sm"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <button
        type="submit"
        disabled={!file || busy}
        className="rounded border px-3 py-1.5 text-sm enabled:hover:bg-slate-100 disabled:opacity-40"
      >
        {busy ? "Verifying…" : "Verify file"}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      )}
      {result && (
        <div
          role={result.ok ? "status" : "alert"}
          className={`rounded p-2 text-sm ${result.ok ? "bg-green-50 text-green-900" : "border-2 border-red-600 bg-red-50 text-red-900"}`}
        >
          <p>{result.summary}</p>
          <p className="text-xs">
            {result.rows.inFile} rows in the file, {result.rows.found} still in the trail
            {result.rows.missingCount ? `, ${result.rows.missingCount} missing` : ""}
            {result.rows.changed.length ? `, ${result.rows.changed.length} changed` : ""}.
          </p>
        </div>
      )}
    </form>
  );
}
