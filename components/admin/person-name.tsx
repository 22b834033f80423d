"use client";

import { useState } from "react";
import type { TAuditPerson } from "@/lib/services/audit/list-audit-people";
import { describeClient } from "@/lib/format/describe-client";

/** Props: `id` (a Keycloak sub or client id, or null), `person` (the User row's names when `id` is a person). Shows the name; the id is on hover and one click copies it. */
export function PersonName({ id, person }: { id: string | null; person?: TAuditPerson }) {
  const [copied, setCopied] = useState(false);
  if (!id) return <>—</>;
  const label = person ? (person.name ?? person.username) : describeClient(id);
  const copy = async () => {
    await navigator.clipboard?.writeText(id).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <span className="inline-flex max-w-full flex-wrap items-baseline gap-x-1">
      <span title={id} data-person-id={id}>
        {label}
      </span>
      {person && person.name && <span className="text-xs text-slate-600">({person.username})</span>}
      <button type="button" onClick={copy} className="rounded px-1 text-xs text-blue-700 hover:bg-slate-100" title={`Copy ${id}`}>
        {copied ? "copied" : "copy id"}
        <span className="sr-only"> of {label}</span>
      </button>
    </span>
  );
}
