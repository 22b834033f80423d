import Link from "next/link";
import { requireAdminPage } from "@/lib/auth/page-guards";
import { Card } from "@/components/ui/card";
import { adminPageTitle } from "./admin-page-title";

export const generateMetadata = adminPageTitle("Admin area");

const SECTIONS = [
  { href: "/admin/audit", title: "Audit trail", text: "Who did what, on whose behalf, and how — searchable, charted and exportable." },
  {
    href: "/admin/tiers",
    title: "Delegation tier status",
    text: "Which delegation methods work against this Keycloak today, with evidence and fixes.",
  },
];

/** Admin landing page: where to go. */
export default async function AdminHome() {
  const admin = await requireAdminPage();
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Admin area</h1>
      <p className="text-slate-700">Signed in as administrator {admin.username}.</p>
      <ul className="grid gap-3 sm:grid-cols-2">
        {SECTIONS.map((s) => (
          <Card as="li" key={s.href}>
            <h2 className="font-medium">
              <Link className="text-blue-700 hover:underline" href={s.href}>
                {s.title}
              </Link>
            </h2>
            <p className="text-sm text-slate-600">{s.text}</p>
          </Card>
        ))}
      </ul>
    </section>
  );
}
