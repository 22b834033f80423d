"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

/** Props: `links` ({ href, label }[]). The main navigation; the current section is marked with aria-current. */
export function NavLinks({ links }: { links: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-wrap items-center gap-x-1 gap-y-1">
      {links.map((l) => {
        const current = pathname === l.href || pathname.startsWith(`${l.href}/`);
        return (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={current ? "page" : undefined}
              className={cn("rounded px-2 py-1 text-sm hover:bg-slate-100", current ? "font-semibold text-slate-900" : "text-slate-700")}
            >
              {l.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
