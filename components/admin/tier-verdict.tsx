import type { TTierProbeView } from "@/lib/services/tiers/tier-types";
import { describeTierVerdict } from "@/lib/format/describe-tiers";
import { cn } from "@/components/ui/cn";

const TONE = {
  good: "border-green-400 bg-green-50 text-green-950",
  warn: "border-amber-400 bg-amber-50 text-amber-950",
  bad: "border-red-400 bg-red-50 text-red-950",
};

/** Props: `probes`. The one-sentence verdict at the top of the tier page. */
export function TierVerdict({ probes }: { probes: TTierProbeView[] }) {
  const v = describeTierVerdict(probes);
  return (
    <p data-testid="tier-verdict" role="status" className={cn("rounded-lg border-l-4 p-3 font-medium", TONE[v.tone])}>
      {v.sentence}
    </p>
  );
}
