import type { TGrantView } from "@/lib/services/grants/list-grants";
import { formatTime } from "@/components/ui/format-time";

/** The user's proof that a revocation happened: what, when, Keycloak's refusal of the old token, the consent removed, the data kept or deleted. */
export function RevocationReceipt({
  grantId,
  mechanism = "offline_access",
  revocation,
  scopes,
  stoppedAt,
}: {
  grantId: string;
  mechanism?: TGrantView["mechanism"];
  revocation: NonNullable<TGrantView["revocation"]>;
  scopes: string[];
  stoppedAt: string | null;
}) {
  const provider = mechanism === "app_password" ? "Nextcloud" : "Keycloak";
  return (
    <div data-testid="revocation-receipt" className="mt-3 rounded border border-slate-300 bg-slate-50 p-3 text-sm">
      <h3 className="font-medium">Revocation receipt</h3>
      {mechanism === "app_password" ? (
        <p>Revoked: the worker&apos;s Nextcloud app password (deleted at Nextcloud with DELETE /ocs/v2.php/core/apppassword)</p>
      ) : (
        <p>
          Revoked: offline access with scopes <span className="font-mono">{scopes.join(" ")}</span>
        </p>
      )}
      <p>Stopped here at {formatTime(stoppedAt)} — the worker makes no further request with it.</p>
      {revocation.state === "confirmed" ? (
        <>
          <p className="text-green-800">
            Confirmed by {provider} at {formatTime(revocation.confirmedAt)}.
          </p>
          <p data-testid="revocation-proof">Proof: {revocation.proof}</p>
        </>
      ) : (
        <p className="text-amber-800">
          Waiting for {provider} to confirm (attempt {revocation.attempts}
          {revocation.lastError ? `; last answer: ${revocation.lastError}` : ""}). It is retried until {provider} confirms.
        </p>
      )}
      {revocation.consent.state === "removed" ? (
        <p data-testid="consent-proof">
          Consent removed at Keycloak at {formatTime(revocation.consent.at)}: {revocation.consent.proof}
        </p>
      ) : revocation.consent.state === "not_removed" ? (
        <p className="text-amber-800">
          Keycloak&apos;s consent was not removed ({revocation.consent.error}); remove “Nextcloud MCP background worker” in Keycloak&apos;s
          account console.
        </p>
      ) : null}
      <p>
        <a className="text-blue-700 underline" href={`/api/grants/${grantId}/receipt`} download>
          Download this receipt
        </a>{" "}
        — it carries a signed checkpoint of the audit trail, so it can later prove the trail still holds this revocation.
      </p>
      {revocation.data ? (
        <p data-testid="data-disposition">
          Deleted what the tasks collected: {revocation.data.deleted.notes} indexed notes and {revocation.data.deleted.files} inventory
          entries. Kept: {revocation.data.kept.join("; ")}.
        </p>
      ) : (
        <p>What the tasks collected (notes index, files inventory) was kept; revoke with “also delete” to remove it.</p>
      )}
    </div>
  );
}
