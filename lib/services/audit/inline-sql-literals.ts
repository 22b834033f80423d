import { escapeLiteral } from "pg";
import type { Prisma } from "@prisma/client";

/**
 * Turns a parameterised condition into SQL text with its values as quoted, typed literals, for the one
 * statement PostgreSQL cannot parameterise: `COPY (query) TO STDOUT`. Values go through node-postgres's
 * escapeLiteral (quotes doubled, backslashes as E''), never through string building; a value of a type
 * the audit filters do not produce is refused rather than guessed.
 */
export function inlineSqlLiterals(sql: Prisma.Sql): string {
  return sql.text.replace(/\$(\d+)/g, (_m, n: string) => {
    const value: unknown = sql.values[Number(n) - 1];
    if (typeof value === "string") return escapeLiteral(value);
    if (typeof value === "bigint") return `${value.toString()}::bigint`;
    if (typeof value === "number" && Number.isSafeInteger(value)) return `${value}`;
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) {
      return `ARRAY[${value.map((v: string) => escapeLiteral(v)).join(", ")}]::text[]`;
    }
    if (value instanceof Date && !Number.isNaN(value.getTime())) return `${escapeLiteral(value.toISOString())}::timestamptz`;
    throw new Error(`inlineSqlLiterals: unsupported value for $${n} (${typeof value})`);
  });
}
