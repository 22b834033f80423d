import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

export type TColumn<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  /** Classes for this column's cells (e.g. a width on wide screens). */
  className?: string;
  /** The cell names the row (rendered as `<th scope="row">`). */
  rowHeader?: boolean;
};

/**
 * Props: `label` (the table's accessible name), `columns` ({ header, cell(row), className?, rowHeader? }), `rows`, `rowKey(row)`,
 * `rowProps(row)` (extra attributes per row, e.g. data-*), `className`. A table from 768 px up;
 * below that each row is a card whose cells carry their column name, so nothing scrolls sideways.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  className,
}: {
  label: string;
  columns: TColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>;
  className?: string;
}) {
  const cellBase =
    "px-3 py-2 align-top break-words max-md:flex max-md:gap-3 max-md:px-0 max-md:py-0.5 max-md:before:w-24 max-md:before:shrink-0 max-md:before:text-xs max-md:before:font-medium max-md:before:text-slate-600 max-md:before:content-[attr(data-label)]";
  return (
    <table aria-label={label} className={cn("w-full text-left text-sm max-md:block md:rounded-lg md:border md:bg-white", className)}>
      <thead className="bg-slate-100 text-slate-700 max-md:sr-only">
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col" className={cn("px-3 py-2 font-medium", c.className)}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="max-md:block max-md:space-y-3">
        {rows.map((row) => {
          const extra = rowProps?.(row);
          return (
            <tr
              key={rowKey(row)}
              {...extra}
              className={cn(
                "border-t border-slate-200 max-md:block max-md:rounded-lg max-md:border max-md:bg-white max-md:p-3",
                extra?.className,
              )}
            >
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" data-label={c.header} className={cn(cellBase, "font-medium", c.className)}>
                    <div className="min-w-0">{c.cell(row)}</div>
                  </th>
                ) : (
                  <td key={c.header} data-label={c.header} className={cn(cellBase, c.className)}>
                    <div className="min-w-0 flex-1">{c.cell(row)}</div>
                  </td>
                ),
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
