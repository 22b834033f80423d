import type { ReactNode } from "react";
import { requireAdminPage } from "@/lib/auth/page-guards";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminPage();
  return <div className="space-y-6">{children}</div>;
}
