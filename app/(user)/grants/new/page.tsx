import type { Metadata } from "next";
import Link from "next/link";
import { requireUserPage } from "@/lib/auth/page-guards";
import { SCOPE_CATALOG, TASK_CATALOG, TASK_TYPES, taskScopesOf, type TTaskType } from "@/lib/tasks/task-catalog";
import { listGrants } from "@/lib/services/grants/list-grants";
import { previewWorkerConsent } from "@/lib/services/grants/preview-worker-consent";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { env } from "@/lib/env";
import { nextcloudAccountOf } from "@/lib/nextcloud/nextcloud-account-of";
import { startGrantAction } from "./actions";
import { AppPasswordConnect } from "./app-password-connect";

export const metadata: Metadata = { title: "Grant access" };

export const dynamic = "force-dynamic";

type TSearch = { task?: string; scopes?: string; mode?: string };

/** Plain words for each line of Keycloak's consent screen (Keycloak's own text is shown beside them). */
function meaningOf(scope: string | null, clientName: string): { label: string; detail: string } {
  if (scope === null) return { label: "Which application asks", detail: `Keycloak names the client you are trusting: ${clientName}.` };
  if (SCOPE_CATALOG[scope]) return SCOPE_CATALOG[scope];
  if (scope === "profile")
    return { label: "Your name and username", detail: "Put into the worker's tokens so Nextcloud knows whose account it is." };
  if (scope === "roles")
    return { label: "Your roles in this realm", detail: "Put into the worker's tokens; it gains no role of its own from them." };
  return { label: scope, detail: "Keycloak adds this to every token of the worker." };
}

function neededBy(scope: string | null): string {
  if (scope === "offline_access") return "every background task";
  if (scope === null || !SCOPE_CATALOG[scope]) return "always part of the worker's sign-in";
  return TASK_TYPES.filter((t) => (TASK_CATALOG[t].scopes as readonly string[]).includes(scope))
    .map((t) => TASK_CATALOG[t].title)
    .join(", ");
}

/** Says in plain words what will be granted before the user sees Keycloak's own consent screen. */
export default async function NewGrantPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  const ctx = await requireUserPage();
  const sp = await searchParams;
  const mode = sp.mode === "set" ? "set" : "add";
  const task = TASK_TYPES.includes(sp.task as TTaskType) ? (sp.task as TTaskType) : null;
  const asked = task ? [...TASK_CATALOG[task].scopes] : taskScopesOf((sp.scopes ?? "notes.read,files.read").split(","));
  // One grant per worker: adding asks Keycloak for what the grant already has plus what is new.
  const grants = await listGrants(ctx);
  const held = taskScopesOf(grants.find((g) => g.status === "active" && g.mechanism === "offline_access")?.scopes ?? []);
  const appPassword = (
    <AppPasswordConnect
      nextcloudUrl={new URL(env().NEXTCLOUD_URL).host}
      account={nextcloudAccountOf(ctx)}
      alreadyConnected={grants.some((g) => g.status === "active" && g.mechanism === "app_password")}
    />
  );
  const scopes = mode === "set" ? asked : [...new Set([...held, ...asked])];
  const alreadyGranted = mode === "add" && held.length > 0 && asked.every((s) => held.includes(s));
  const dropped = held.filter((s) => !scopes.includes(s));
  const consent = await previewWorkerConsent(ctx, { taskScopes: scopes });
  if (alreadyGranted) {
    return (
      <section className="max-w-3xl space-y-4">
        <h1 className="text-2xl font-semibold">You already granted this</h1>
        <p className="text-slate-700">
          Your access for the background worker already covers {asked.map((s) => SCOPE_CATALOG[s]!.label.toLowerCase()).join(" and ")}.
          There is one grant per worker; manage it under{" "}
          <Link className="text-blue-700 underline" href="/access">
            My access
          </Link>
          .
        </p>
        {appPassword}
      </section>
    );
  }
  return (
    <section className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">
        {mode === "set"
          ? "Narrow the background worker's access"
          : held.length
            ? "Add to the background worker's access"
            : "Grant the background worker access"}
      </h1>
      {dropped.length > 0 && (
        <p role="note" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900">
          This removes: {dropped.map((s) => SCOPE_CATALOG[s]!.label.toLowerCase()).join(", ")}. Tasks that need it stop; the others keep
          running, and Keycloak&apos;s consent will list only what remains.
        </p>
      )}
      <div className="rounded border bg-white p-3">
        <p className="font-medium" data-testid="worker-name">
          {consent.name}
        </p>
        {consent.description && (
          <p className="text-slate-600" data-testid="worker-description">
            {consent.description}
          </p>
        )}
      </div>
      <p className="text-slate-700">
        This worker will act in your Nextcloud <strong>on your behalf</strong> — every request it makes is recorded under your name, and you
        can revoke it at any time under{" "}
        <Link className="text-blue-700 underline" href="/access">
          My access
        </Link>
        .
      </p>
      <h2 className="text-lg font-semibold">What Keycloak will ask you</h2>
      <p className="text-sm text-slate-600">Keycloak&apos;s consent screen lists exactly these lines; here is what each one means.</p>
      <DataTable
        label="What Keycloak will ask you"
        rows={consent.items}
        rowKey={(i) => i.scope ?? "client"}
        rowProps={(i) => ({ "data-consent-item": i.text })}
        columns={[
          { header: "Keycloak asks", rowHeader: true, className: "md:w-2/5", cell: (i) => i.text },
          {
            header: "What it means",
            cell: (i) => {
              const meaning = meaningOf(i.scope, consent.name);
              return (
                <>
                  <div className="font-medium">{meaning.label}</div>
                  <div className="text-slate-600">{meaning.detail}</div>
                </>
              );
            },
          },
          { header: "Needed by", cell: (i) => neededBy(i.scope) },
        ]}
      />
      <p className="text-sm text-slate-600">
        How long it lasts: until you revoke it. Keycloak also ends unused offline access after the realm&apos;s idle period and at its
        maximum lifetime; the exact expiry is shown under My access once granted.
      </p>
      <form action={startGrantAction}>
        <input type="hidden" name="task" value={task ?? ""} />
        <input type="hidden" name="scopes" value={scopes.join(",")} />
        <input type="hidden" name="mode" value={mode} />
        <Button type="submit" variant="primary" size="md">
          Continue to Keycloak
        </Button>
      </form>
      <p className="text-sm text-slate-600">Keycloak will show its own consent screen with the lines above next.</p>
      {appPassword}
    </section>
  );
}
