import { NextResponse, type NextRequest } from "next/server";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { env } from "@/lib/env";
import { MAX_WITNESS_BYTES, verifyAuditWitness } from "@/lib/services/audit/verify-audit-witness";
import { errorResponse } from "../../_shared/error-response";
import { recordAdminView } from "../../_shared/record-admin-view";
import { NO_STORE, requireAdminRequest } from "../../_shared/require-admin-request";

/**
 * Verifies the chain on demand against the signed checkpoints and reports the first row that disagrees
 * (admins only; audited). `?mode=incremental` checks only what the newest checkpoint does not cover.
 */
export async function GET(req: NextRequest) {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  const mode = req.nextUrl.searchParams.get("mode") === "incremental" ? "incremental" : "full";
  try {
    const result = await verifyAuditChain({ mode });
    await recordAdminView(ctx, "audit.verify", "audit-events", { mode, ok: result.ok, checked: result.checked, firstBrokenSeq: result.firstBrokenSeq ?? null });
    return NextResponse.json(result, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}

/**
 * Verifies an uploaded witness (a saved export, checkpoint or receipt; the raw file is the body) against
 * the trail. Same-origin only: a cross-site form cannot make an admin's browser post here.
 */
export async function POST(req: NextRequest) {
  const { ctx, denied } = await requireAdminRequest();
  if (denied) return denied;
  if (req.headers.get("origin") !== new URL(env().NEXTAUTH_URL).origin) {
    return NextResponse.json({ error: "Cross-site request refused.", code: "Forbidden" }, { status: 403, headers: NO_STORE });
  }
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_WITNESS_BYTES) {
    return NextResponse.json({ error: `file: larger than ${MAX_WITNESS_BYTES / 1024 / 1024} MB`, code: "BadInput" }, { status: 413, headers: NO_STORE });
  }
  try {
    const text = await req.text();
    return NextResponse.json(await verifyAuditWitness(ctx, { text }), { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, ctx.correlationId);
  }
}
