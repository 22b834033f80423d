import { z } from "zod";

/** The instants any date input may name: 2000-01-01T00:00:00Z up to (not including) 2101-01-01T00:00:00Z. */
const DATE_RANGE = { min: new Date("2000-01-01T00:00:00Z"), max: new Date("2101-01-01T00:00:00Z") } as const;

// ISO 8601 as browsers and this product write it: a date, optionally a time (minutes, seconds, fraction) and a
// zone. No bare numbers ("200000"), no expanded years ("+275760-…", "-271821-…"), no free-form text.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== "string" || value.length > 40) return null;
  const m = ISO.exec(value);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0, zoneH = 0, zoneM = 0] = m
    .slice(1)
    .map((p) => (p === undefined ? undefined : Number(p))) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysIn(year!, month!)) return null;
  if (hour > 23 || minute > 59 || second > 59 || zoneH > 23 || zoneM > 59) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A point in time given as an ISO 8601 string (or a Date, from server code), checked against the calendar
 * (no 30 February) and bounded to DATE_RANGE, so no value can overflow PostgreSQL's timestamp range or
 * ask for ten thousand years of chart buckets. Yields a Date.
 */
export const ZDateInRangeSchema = z.unknown().transform((value, ctx): Date => {
  const date = toDate(value);
  if (!date) {
    ctx.addIssue({ code: "custom", message: "must be a date-time such as 2026-11-28T10:00:00Z" });
    return z.NEVER;
  }
  if (date < DATE_RANGE.min || date >= DATE_RANGE.max) {
    ctx.addIssue({ code: "custom", message: "must be a date-time between 2000-01-01 and 2100-12-31" });
    return z.NEVER;
  }
  return date;
});
