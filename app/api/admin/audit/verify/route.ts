import { NextResponse } from "next/server";
import { withAdmin } from "@/lib/auth/with-request";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { NO_STORE } from "@/lib/http/error-response";
import { verifyAuditTrail } from "@/lib/services/audit/verify-audit-trail";
import { MAX_WITNESS_BYTES, verifyAuditWitness } from "@/lib/services/audit/verify-audit-witness";

/**
 * Verifies the chain on demand against the signed checkpoints and reports the first row that disagrees
 * (admins only; audited). `?mode=incremental` checks only what the newest checkpoint does not cover.
 */
export const GET = withAdmin(async (ctx, req) => {
  const mode = req.nextUrl.searchParams.get("mode") === "incremental" ? "incremental" : "full";
  return NextResponse.json(await verifyAuditTrail(ctx, mode), { headers: NO_STORE });
});

/**
 * Verifies an uploaded witness (a saved export, checkpoint or receipt; the raw file is the body) against
 * the trail. Same-origin only: a cross-site form cannot make an admin's browser post here.
 */
export const POST = withAdmin(async (ctx, req) => {
  if (req.headers.get("origin") !== new URL(env().NEXTAUTH_URL).origin) throw new AppError("Forbidden", "Cross-site request refused.");
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_WITNESS_BYTES) {
    return NextResponse.json(
      { error: `file: larger than ${MAX_WITNESS_BYTES / 1024 / 1024} MB`, code: "BadInput", field: "file" },
      { status: 413, headers: NO_STORE },
    );
  }
  return NextResponse.json(await verifyAuditWitness(ctx, { text: await req.text() }), { headers: NO_STORE });
});
