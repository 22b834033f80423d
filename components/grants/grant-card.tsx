import Link from "next/link";
import type { TGrantView } from "@/lib/services/grants/list-grants";
import { SCOPE_CATALOG, TASK_CATALOG, taskScopesOf } from "@/lib/tasks/task-catalog";
import type { ReactNode } from "react";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RevocationReceipt } from "./revocation-receipt";

const STATUS: Record<TGrantView["status"], { label: string; tone: "green" | "amber" | "red" | "slate" }> = {
  active: { label: "Active", tone: "green" },
  revoking: { label: "Stopped here, waiting for Keycloak", tone: "amber" },
  revoked: { label: "Revoked", tone: "slate" },
  revoked_at_provider: { label: "Revoked in Keycloak", tone: "red" },
};

const APP_PASSWORD_STATUS: Partial<typeof STATUS> = {
  revoking: { label: "Stopped here, waiting for Nextcloud", tone: "amber" },
  revoked_at_provider: { label: "Removed in Nextcloud", tone: "red" },
};

/** The mechanism in words, for the card and the activity feed. */
export const MECHANISM_LABEL: Record<TGrantView["mechanism"], string> = {
  offline_access: "OAuth delegation (Keycloak offline access → token exchange)",
  app_password: "Nextcloud app password (Login Flow v2)",
};

const TASK_SCOPES = taskScopesOf(Object.keys(SCOPE_CATALOG));

/**
 * One grant: what it allows, its lifetime and health, and its controls — add access (re-consent with
 * more), narrow access (re-consent with less; the tasks needing the dropped scope stop), check, revoke —
 * or, once revoked, its receipt.
 */
export function GrantCard(props: {
  grant: TGrantView;
  busy: boolean;
  checking: boolean;
  revokeDescription: ReactNode;
  onRevoke: () => void;
  onCheck: () => void;
}) {
  const g = props.grant;
  const isAppPassword = g.mechanism === "app_password";
  const s = (isAppPassword ? APP_PASSWORD_STATUS[g.status] : undefined) ?? STATUS[g.status];
  const taskScopes = taskScopesOf(g.scopes);
  const missing = isAppPassword ? [] : TASK_SCOPES.filter((x) => !taskScopes.includes(x));
  const title = isAppPassword
    ? `Nextcloud app password (${g.nextcloudLoginName ?? "?"})`
    : taskScopes.map((x) => SCOPE_CATALOG[x]?.label ?? x).join(" · ") || "Offline access";
  return (
    <li
      className="rounded border bg-white p-4"
      aria-label={isAppPassword ? "Grant Nextcloud app password" : `Grant ${taskScopes.join(", ")}`}
      data-grant-id={g.id}
      data-mechanism={g.mechanism}
    >
      <div className="flex flex-wrap items-center gap-3">
        <StatusBadge tone={s.tone}>{s.label}</StatusBadge>
        <h2 className="font-medium">{title}</h2>
        {g.status === "active" && (
          <span className="ml-auto flex flex-wrap gap-2">
            <Button onClick={props.onCheck} disabled={props.checking} aria-busy={props.checking}>
              {props.checking ? "Checking…" : "Check now"}
            </Button>
            <ConfirmDialog
              trigger={
                <Button variant="danger" disabled={props.busy}>
                  Revoke
                </Button>
              }
              title="Revoke this access?"
              description={props.revokeDescription}
              confirmLabel="Revoke access"
              onConfirm={props.onRevoke}
            />
          </span>
        )}
      </div>
      {g.status === "active" && !isAppPassword && (missing.length > 0 || taskScopes.length > 1) && (
        <div className="mt-3 flex flex-wrap gap-2 text-sm">
          {missing.length > 0 && (
            <Link
              href={`/grants/new?scopes=${missing.join(",")}`}
              className="rounded border border-blue-300 px-2 py-1 text-blue-800 hover:bg-blue-50"
            >
              Add access: {missing.map((x) => SCOPE_CATALOG[x]!.label.toLowerCase()).join(", ")}
            </Link>
          )}
          {taskScopes.length > 1 &&
            taskScopes.map((drop) => (
              <Link
                key={drop}
                href={`/grants/new?mode=set&scopes=${taskScopes.filter((x) => x !== drop).join(",")}`}
                className="rounded border px-2 py-1 text-slate-800 hover:bg-slate-100"
              >
                Narrow access: stop “{SCOPE_CATALOG[drop]!.label.toLowerCase()}”
              </Link>
            ))}
        </div>
      )}
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
        <dt className="text-slate-500">Mechanism</dt>
        <dd className="sm:col-span-2" data-testid="grant-mechanism">
          {MECHANISM_LABEL[g.mechanism]}
        </dd>
        <dt className="text-slate-500">{isAppPassword ? "Can reach" : "Scopes"}</dt>
        <dd className="col-span-1 break-all sm:col-span-2" data-testid="grant-scopes">
          {isAppPassword ? (
            "everything the Nextcloud account can: files, calendars, contacts, notes and every app API (app passwords have no scopes)"
          ) : (
            <span className="font-mono">{g.scopes.join(" ")}</span>
          )}
        </dd>
        <dt className="text-slate-500">Used by</dt>
        <dd className="sm:col-span-2">{g.tasksCovered.map((t) => TASK_CATALOG[t].title).join(", ") || "—"}</dd>
        <dt className="text-slate-500">Granted</dt>
        <dd className="sm:col-span-2">
          <RelativeTime iso={g.grantedAt} />
        </dd>
        <dt className="text-slate-500">Last used</dt>
        <dd className="sm:col-span-2">
          <RelativeTime iso={g.lastUsedAt} />
        </dd>
        {/* An ended grant neither expires nor has a health: only its receipt matters. */}
        {g.status === "active" && (
          <>
            <dt className="text-slate-500">Expires if unused</dt>
            <dd className="sm:col-span-2">
              {isAppPassword ? (
                "never (until revoked here or removed under Devices & sessions in Nextcloud)"
              ) : (
                <RelativeTime iso={g.idleExpiresAt} future />
              )}
            </dd>
            <dt className="text-slate-500">Health</dt>
            <dd className="sm:col-span-2">
              {g.health.ok === null ? (
                "not used yet"
              ) : g.health.ok ? (
                <>
                  last check ok (<RelativeTime iso={g.health.checkedAt} />)
                </>
              ) : (
                `failing: ${g.health.message}`
              )}
            </dd>
          </>
        )}
      </dl>
      {g.revokeReason && g.status !== "active" && <p className="mt-2 text-sm text-slate-700">Reason: {g.revokeReason}</p>}
      {g.revocation && (
        <RevocationReceipt grantId={g.id} mechanism={g.mechanism} revocation={g.revocation} scopes={g.scopes} stoppedAt={g.revokedAt} />
      )}
    </li>
  );
}
