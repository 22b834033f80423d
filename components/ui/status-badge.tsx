const TONES = {
  green: "bg-green-100 text-green-800 border-green-300",
  amber: "bg-amber-100 text-amber-900 border-amber-300",
  red: "bg-red-100 text-red-800 border-red-300",
  slate: "bg-slate-100 text-slate-700 border-slate-300",
} as const;

export function StatusBadge({ tone, children }: { tone: keyof typeof TONES; children: React.ReactNode }) {
  return <span className={`inline-block rounded border px-2 py-0.5 text-xs font-medium ${TONES[tone]}`}>{children}</span>;
}
