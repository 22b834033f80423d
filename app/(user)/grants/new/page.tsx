import Link from "next/link";
import { requireUserPage } from "@/lib/auth/page-guards";
import { SCOPE_CATALOG, TASK_CATALOG, TASK_TYPES, type TTaskType } from "@/lib/tasks/task-catalog";
import { startGrantAction } from "./actions";

export const dynamic = "force-dynamic";

type TSearch = { task?: string; scopes?: string };

/** Says in plain words what will be granted before the user sees Keycloak's own consent screen. */
export default async function NewGrantPage({ searchParams }: { searchParams: Promise<TSearch> }) {
  await requireUserPage();
  const sp = await searchParams;
  const task = TASK_TYPES.includes(sp.task as TTaskType) ? (sp.task as TTaskType) : null;
  const scopes = task
    ? [...TASK_CATALOG[task].scopes]
    : (sp.scopes ?? "notes.read,files.read").split(",").filter((s) => SCOPE_CATALOG[s] && s !== "offline_access");
  const all = ["offline_access", ...scopes];
  return (
    <section className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Grant the background worker access</h1>
      <p className="text-slate-700">
        The worker <strong>nextcloud-mcp-server</strong> will act in your Nextcloud <strong>on your behalf</strong> —
        every request it makes is recorded under your name, and you can revoke it at any time under{" "}
        <Link className="text-blue-700 underline" href="/access">My access</Link>.
      </p>
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
              <td className="p-2 font-mono">{s}</td>
              <td className="p-2">
                <div className="font-medium">{SCOPE_CATALOG[s]?.label}</div>
                <div className="text-slate-600">{SCOPE_CATALOG[s]?.detail}</div>
              </td>
              <td className="p-2">
                {s === "offline_access"
                  ? "every background task"
                  : TASK_TYPES.filter((t) => (TASK_CATALOG[t].scopes as readonly string[]).includes(s)).map((t) => TASK_CATALOG[t].title).join(", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-sm text-slate-600">
        How long it lasts: until you revoke it. Keycloak also ends unused offline access after the realm&apos;s idle
        period and at its maximum lifetime; the exact expiry is shown under My access once granted.
      </p>
      <form action={startGrantAction}>
        <input type="hidden" name="task" value={task ?? ""} />
        <input type="hidden" name="scopes" value={scopes.join(",")} />
        <button type="submit" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
          Continue to Keycloak
        </button>
      </form>
      <p className="text-sm text-slate-600">Keycloak will show its own consent screen for these scopes next.</p>
    </section>
  );
}
