"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TTaskOutcomeDay } from "@/lib/services/tasks/list-task-outcomes";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

const DAY = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

/** Props: `days` (per-day counts of finished runs). Stacked bars per day: succeeded, failed, stopped; a caption with the totals. */
export function TaskOutcomesChart({ days }: { days: TTaskOutcomeDay[] }) {
  const total = days.reduce(
    (t, d) => ({ succeeded: t.succeeded + d.succeeded, failed: t.failed + d.failed, stopped: t.stopped + d.stopped }),
    { succeeded: 0, failed: 0, stopped: 0 },
  );
  const caption = `Runs finished per day over the last ${days.length} days: ${total.succeeded} succeeded, ${total.failed} failed, ${total.stopped} stopped.`;
  return (
    <Card aria-labelledby="outcomes-heading" className="space-y-2">
      <h2 id="outcomes-heading" className="text-xl font-semibold">
        How runs ended
      </h2>
      {total.succeeded + total.failed + total.stopped === 0 ? (
        <EmptyState title="No finished runs in the last two weeks">Enable a task above; each run it finishes is counted here.</EmptyState>
      ) : (
        <figure>
          <div className="h-48 w-full">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                data={days.map((d) => ({ ...d, label: DAY.format(new Date(d.day)) }))}
                margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
              >
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={12} />
                <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
                <Tooltip formatter={(v, name) => [`${String(v)} runs`, String(name)]} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="succeeded" name="succeeded" stackId="runs" fill="#15803d" isAnimationActive={false} />
                <Bar dataKey="failed" name="failed" stackId="runs" fill="#b91c1c" isAnimationActive={false} />
                <Bar dataKey="stopped" name="stopped (paused or revoked)" stackId="runs" fill="#64748b" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <figcaption className="text-sm text-slate-600">{caption}</figcaption>
        </figure>
      )}
    </Card>
  );
}
