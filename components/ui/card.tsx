import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

/** Props: `as` (the element: section | article | li | div, default section), plus any HTML attributes (aria-label, data-*) and `children`. */
export function Card({
  as = "section",
  className,
  children,
  ...props
}: HTMLAttributes<HTMLElement> & { as?: "section" | "article" | "li" | "div"; children: ReactNode }) {
  const Tag = as;
  return (
    <Tag className={cn("min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm", className)} {...props}>
      {children}
    </Tag>
  );
}
