"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TCountAuditEventsOverTimeResult } from "@/lib/services/audit/count-audit-events-over-time";
import { Card } from "@/components/ui/card";

const HOUR = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const DAY = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Props: `data` (event counts per hour or day for the current filters; undefined while loading). A bar per bucket on a time axis, with tooltips and a caption that says what each bar counts. */
export function AuditChart({ data }: { data: TCountAuditEventsOverTimeResult | undefined }) {
  if (!data)
    return (
      <Card className="h-56" aria-busy="true">
        Loading the chart…
      </Card>
    );
  const total = data.buckets.reduce((n, b) => n + b.count, 0);
  const busiest = data.buckets.reduce((m, b) => (b.count > m.count ? b : m), { start: "", count: 0 });
  const label = (iso: string) => (data.bucket === "hour" ? HOUR.format(new Date(iso)) : DAY.format(new Date(iso)));
  const caption =
    `Each bar counts the audit events recorded in one ${data.bucket}` +
    ` (${data.bucket === "hour" ? "your local time" : "UTC days"}), ${FULL.format(new Date(data.from))} to ${FULL.format(new Date(data.to))}:` +
    ` ${total} events in total${busiest.count ? `, at most ${busiest.count} in one ${data.bucket}` : ""}.`;
  return (
    <Card as="section" aria-label="Audit events over time">
      <h2 className="mb-1 text-sm font-medium text-slate-700">Events per {data.bucket}</h2>
      <figure>
        <div className="h-48 w-full">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data.buckets.map((b) => ({ ...b, label: label(b.start) }))} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={44} />
              <Tooltip
                labelFormatter={(_, payload) => {
                  const start = payload?.[0]?.payload?.start as string | undefined;
                  return start ? `${data.bucket === "hour" ? "Hour from" : "Day"} ${FULL.format(new Date(start))}` : "";
                }}
                formatter={(v) => [`${String(v)} events`, "recorded"]}
              />
              <Bar dataKey="count" name="events" fill="#1d4ed8" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="mt-1 text-xs text-slate-600">{caption}</figcaption>
      </figure>
    </Card>
  );
}
