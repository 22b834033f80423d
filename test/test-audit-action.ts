import type { TAuditAction } from "@/lib/audit/audit-kinds";

/**
 * Tests and benches tag their own rows with made-up actions so one file can tell its rows from the rest
 * of a shared trail. Product code cannot do this: the compiler only accepts the kinds in AUDIT_ACTIONS.
 */
export function testAuditAction(name: string): TAuditAction {
  return name as TAuditAction;
}
