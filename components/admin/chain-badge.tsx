import type { TChainVerification } from "@/lib/audit/verify-chain";
import { StatusBadge } from "@/components/ui/status-badge";

/** The result of the last on-demand full verification against the signed checkpoints, or that none ran. */
export function ChainBadge({
  result,
  checking,
  error,
}: {
  result: TChainVerification | undefined;
  checking: boolean;
  error: string | null;
}) {
  if (checking) return <StatusBadge tone="slate">Verifying chain…</StatusBadge>;
  if (error) return <StatusBadge tone="red">Could not verify: {error}</StatusBadge>;
  if (!result) return <StatusBadge tone="slate">Chain not verified yet</StatusBadge>;
  if (!result.ok) {
    return result.gap ? (
      <StatusBadge tone="red">
        Rows missing after seq {result.gap.afterSeq ?? "0"}: {result.gap.missingRows} deleted (through seq {result.gap.throughSeq})
      </StatusBadge>
    ) : (
      <StatusBadge tone="red">
        Chain broken at row {result.firstBrokenSeq}: {result.reason}
      </StatusBadge>
    );
  }
  return result.checkpoint ? (
    <StatusBadge tone="green">
      Chain intact ({result.checked} rows checked, matches checkpoint at seq {result.checkpoint.headSeq})
    </StatusBadge>
  ) : (
    <StatusBadge tone="amber">
      Chain intact ({result.checked} rows checked) but no signed checkpoint: deleted newest rows would not show
    </StatusBadge>
  );
}
