import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";

// The root layout's title template does not reach pages of its own segment: the full title here.
export const metadata: Metadata = { title: { absolute: "Forbidden · Delegation Dashboard" } };

export default function Forbidden() {
  return (
    <Card className="space-y-3">
      <h1 className="text-2xl font-semibold">403 — Forbidden</h1>
      <p className="text-slate-700">This area is for dashboard administrators only.</p>
      <Link className="text-blue-700 underline" href="/">
        Back to the start page
      </Link>
    </Card>
  );
}
