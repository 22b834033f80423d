import type { TAuditTrustStatus } from "@/lib/services/audit/get-audit-trust-status";
import { formatTime } from "@/components/ui/format-time";

function age(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

/**
 * The trail's integrity at a glance: the newest signed checkpoint, its age, and whether the trail
 * verifies against it. Anything wrong — a failing verification, a stale or missing checkpoint, no
 * signing key — is a red alert banner naming the problem (for a deletion: the gap), never a quiet badge.
 */
export function AuditTrustPanel({ status, error }: { status: TAuditTrustStatus | undefined; error: string | null }) {
  if (error) {
    return (
      <div role="alert" className="rounded border-2 border-red-600 bg-red-50 p-3 text-red-900">
        <p className="font-semibold">Audit trail integrity could not be checked</p>
        <p className="text-sm">{error}</p>
      </div>
    );
  }
  if (!status) return <p className="text-sm text-slate-600">Checking the audit trail against its signed checkpoints…</p>;
  const cp = status.checkpoint;
  const gap = status.verification.gap;
  const checkpointLine = cp ? (
    <>
      Newest signed checkpoint: <strong>{cp.count} rows</strong> up to seq {cp.headSeq}, signed {formatTime(cp.at)} (
      <span data-testid="checkpoint-age">{age(cp.ageSeconds)} ago</span>) with key {cp.kid}; head {cp.headHash.slice(0, 16)}…
    </>
  ) : (
    <>No checkpoint has been signed yet.</>
  );
  if (!status.healthy) {
    return (
      <section
        role="alert"
        aria-label="Audit trail integrity"
        className="space-y-1 rounded border-2 border-red-600 bg-red-50 p-3 text-red-900"
      >
        <p className="font-semibold">
          {gap
            ? `Audit rows are missing: ${gap.missingRows} row${gap.missingRows === "1" ? "" : "s"} after seq ${gap.afterSeq ?? "0"} (through seq ${gap.throughSeq}) were deleted`
            : status.verification.ok
              ? "The audit trail is not protected by a current signed checkpoint"
              : `The audit trail does not verify: first disagreeing row seq ${status.verification.firstBrokenSeq}`}
        </p>
        <ul className="list-disc pl-5 text-sm">
          {status.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
        <p className="text-sm">{checkpointLine}</p>
      </section>
    );
  }
  return (
    <section aria-label="Audit trail integrity" className="rounded border border-green-300 bg-green-50 p-3 text-sm text-green-900">
      <p>
        <strong>Verified against the newest signed checkpoint</strong> ({status.verification.mode}, {status.verification.checked} newer rows
        checked
        {status.unsignedRows !== "0" ? `, ${status.unsignedRows} not yet in a checkpoint` : ""}).
      </p>
      <p>{checkpointLine}</p>
    </section>
  );
}
