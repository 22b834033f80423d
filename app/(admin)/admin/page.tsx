import Link from "next/link";
import { requireAdminPage } from "@/lib/auth/page-guards";

export default async function AdminHome() {
  const admin = await requireAdminPage();
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Admin area</h1>
      <p className="text-slate-700">Signed in as administrator {admin.username}.</p>
      <ul className="list-disc pl-6">
        <li><Link className="text-blue-700 hover:underline" href="/admin/audit">Audit trail</Link></li>
        <li><Link className="text-blue-700 hover:underline" href="/admin/tiers">Delegation tier status</Link></li>
      </ul>
    </section>
  );
}
