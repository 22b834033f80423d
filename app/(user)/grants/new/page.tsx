import Link from "next/link";
import { requireUserPage } from "@/lib/auth/page-guards";
import { SCOPE_CATALOG, TASK_CATALOG, TASK_TYPES, taskScopesOf, type TTaskType } from "@/lib/tasks/task-catalog";
import { listGrants } from "@/lib/services/grants/list-grants";
import { Button } from "@/components/ui/button";
import { env } from "@/lib/env";
import { nextcloudAccountOf } from "@/lib/nextcloud/nextcloud-account-of";
import { startGrantAction } from "./actions";
import { AppPasswordConnect } from "./app-password-connect";

export const dynamic = "force-dynamic";

type TSearch = { task?: string; scopes?: string; mode?: string };

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
  const all = ["offline_access", ...scopes];
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
      <p className="text-slate-700">
        The worker <strong>nextcloud-mcp-server</strong> will act in your Nextcloud <strong>on your behalf</strong> — every request it makes
        is recorded under your name, and you can revoke it at any time under{" "}
        <Link className="text-blue-700 underline" href="/access">
          My access
        </Link>
        .
      </p>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse rounded border bg-white text-sm">
          <caption className="sr-only">Scopes that will be granted</caption>
          <thead>
            <tr className="border-b bg-slate-100 text-left">
              <th className="p-2">Scope</th>
              <th className="p-2">What it allows</th>
              <th className="p-2">Needed by</th>
            </tr>
          </thead>
          <tbody>
            {all.map((s) => (
              <tr key={s} className="border-b align-top">
                <td className="p-2 font-mono break-all">{s}</td>
                <td className="p-2">
                  <div className="font-medium">{SCOPE_CATALOG[s]?.label}</div>
                  <div className="text-slate-600">{SCOPE_CATALOG[s]?.detail}</div>
                </td>
                <td className="p-2">
                  {s === "offline_access"
                    ? "every background task"
                    : TASK_TYPES.filter((t) => (TASK_CATALOG[t].scopes as readonly string[]).includes(s))
                        .map((t) => TASK_CATALOG[t].title)
                        .join(", ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
      <p className="text-sm text-slate-600">Keycloak will show its own consent screen for these scopes next.</p>
      {appPassword}
    </section>
  );
}
