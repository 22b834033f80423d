import type { TChainVerification } from "@/lib/audit/verify-chain";
import { StatusBadge } from "@/components/ui/status-badge";

/** The result of the last on-demand chain verification, or that none was run. */
export function ChainBadge({ result, checking, error }: { result: TChainVerification | undefined; checking: boolean; error: string | null }) {
  if (checking) return <StatusBadge tone="slate">Verifying chain…</StatusBadge>;
  if (error) return <StatusBadge tone="red">Could not verify: {error}</StatusBadge>;
  if (!result) return <StatusBadge tone="slate">Chain not verified yet</StatusBadge>;
  return result.ok ? (
    <StatusBadge tone="green">Chain intact ({result.checked} rows checked)</StatusBadge>
  ) : (
    <StatusBadge tone="red">Chain broken at row {result.firstBrokenSeq}: {result.reason}</StatusBadge>
  );
}
