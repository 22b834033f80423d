"use client";

import { useEffect, useState } from "react";
import { formatRelativeTime } from "@/lib/format/format-relative-time";

const EXACT = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** Props: `iso` (an ISO date-time, or null for "—"), `future` (the time may lie ahead, e.g. a next run; else a slightly-ahead server clock reads "just now"), `className`. Shows "5 minutes ago" in a `<time>` whose title is the exact local time; re-renders every 30 s. */
export function RelativeTime({ iso, future = false, className }: { iso: string | null | undefined; future?: boolean; className?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  if (!iso) return <span className={className}>—</span>;
  // Before mount the server's clock and UTC are used; after mount the browser's clock and zone.
  const exact = now === null ? `${iso.replace("T", " ").slice(0, 19)} UTC` : EXACT.format(new Date(iso));
  return (
    <time dateTime={iso} title={exact} className={className} suppressHydrationWarning>
      {!future && Date.parse(iso) > (now ?? Date.now()) ? "just now" : formatRelativeTime(iso, now ?? Date.now())}
    </time>
  );
}
