import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * Tones say how to read a state: good (worked), warn (needs attention), bad (an alarm), neutral (no news),
 * expected (a refusal or rejection that is the intended outcome, so it must not look like an alarm).
 */
const TONES = {
  good: "bg-green-100 text-green-900 border-green-300",
  warn: "bg-amber-100 text-amber-950 border-amber-400",
  bad: "bg-red-100 text-red-900 border-red-300",
  neutral: "bg-slate-100 text-slate-800 border-slate-300",
  expected: "bg-sky-50 text-sky-900 border-sky-300",
} as const;

export type TBadgeTone = keyof typeof TONES;

/** Props: `tone` (good | warn | bad | neutral | expected), `title` (hover text with the technical detail), `children` (the words shown). */
export function Badge({ tone, title, className, children }: { tone: TBadgeTone; title?: string; className?: string; children: ReactNode }) {
  return (
    <span title={title} className={cn("inline-block rounded border px-2 py-0.5 text-xs font-medium", TONES[tone], className)}>
      {children}
    </span>
  );
}
