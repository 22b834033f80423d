import type { TCountAuditEventsOverTimeResult } from "@/lib/services/audit/count-audit-events-over-time";
import { formatTime } from "@/components/ui/format-time";

const WIDTH = 720;
const HEIGHT = 80;

/** Events over time as inline SVG bars (no chart library); each bar names its bucket and count. */
export function AuditChart({ data }: { data: TCountAuditEventsOverTimeResult | undefined }) {
  if (!data) return <div className="h-20 rounded border bg-white" aria-busy="true" />;
  const max = Math.max(1, ...data.buckets.map((b) => b.count));
  const total = data.buckets.reduce((n, b) => n + b.count, 0);
  const w = WIDTH / Math.max(1, data.buckets.length);
  return (
    <figure className="rounded border bg-white p-3">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-20 w-full" role="img" aria-label={`Events per ${data.bucket}: ${total} in range`} preserveAspectRatio="none">
        {data.buckets.map((b, i) => {
          const h = (b.count / max) * (HEIGHT - 2);
          return (
            <rect key={b.start} x={i * w + 0.5} y={HEIGHT - h} width={Math.max(1, w - 1)} height={h} className="fill-blue-600">
              <title>{`${formatTime(b.start)}: ${b.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 text-xs text-slate-600">
        {total} events per {data.bucket}, {formatTime(data.from)} – {formatTime(data.to)}
      </figcaption>
    </figure>
  );
}
