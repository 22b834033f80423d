import { TIER_TITLES, type TTierMechanism, type TTierProbeResult, type TTierStatus } from "../services/tiers/tier-types";

export type TTierTone = "good" | "warn" | "bad" | "neutral" | "expected";

/**
 * How to colour one probe's status. Outcomes the design intends — service accounts rejected by policy,
 * Tier 1 impersonation refused by Standard Token Exchange V2, no `act` claim yet — are "expected", not
 * alarms; Tier 0 working is a warning (works, not recommended); a failure is the only alarm.
 */
export function tierTone(mechanism: TTierMechanism, status: TTierStatus): { tone: TTierTone; expected: boolean } {
  if (status === "rejected_by_policy") return { tone: "expected", expected: true };
  if (mechanism === "tier1-impersonation" && status === "refused") return { tone: "expected", expected: true };
  if (mechanism === "delegation-act" && status === "not_detected") return { tone: "expected", expected: true };
  if (mechanism === "tier0-basic-auth" && status === "not_configured") return { tone: "expected", expected: true };
  // Nextcloud's OIDC app without refresh/exchange, or not installed, is what the design note expects.
  if (mechanism === "nextcloud-oidc-provider" && (status === "refused" || status === "not_detected"))
    return { tone: "expected", expected: true };
  if (mechanism === "app-password" && status === "not_configured") return { tone: "neutral", expected: false };
  if (status === "works")
    return { tone: mechanism === "tier0-basic-auth" || mechanism === "tier1-impersonation" ? "warn" : "good", expected: false };
  if (status === "failing") return { tone: "bad", expected: false };
  if (status === "refused") return { tone: "warn", expected: false };
  if (status === "needs_probe_grant") return { tone: "warn", expected: false };
  return { tone: "neutral", expected: false };
}

/** One sentence an admin reads first: does delegation work here, and what to do if not. */
export function describeTierVerdict(probes: Pick<TTierProbeResult, "mechanism" | "status" | "evidence">[]): {
  tone: "good" | "warn" | "bad";
  sentence: string;
} {
  const of = (m: TTierMechanism) => probes.find((p) => p.mechanism === m)?.status;
  const failing = probes.filter((p) => p.status === "failing");
  const serviceAccountsWarn = probes.some((p) => p.mechanism === "service-accounts" && p.evidence.warning);
  if (serviceAccountsWarn) {
    return {
      tone: "bad",
      sentence: "Attention: a service account could act in Nextcloud as itself. Read the service-account row below and apply its fix.",
    };
  }
  if (probes.some((p) => p.status === "needs_probe_grant")) {
    return {
      tone: "warn",
      sentence:
        "Not checked yet: grant the probe access as yourself (one step, below) so the probes can test delegation with your own account.",
    };
  }
  if (of("tier2-token-exchange") === "works" && of("offline-access") === "works") {
    const extra = failing.length
      ? ` ${failing.length === 1 ? "One other method fails" : `${failing.length} other methods fail`}; see below.`
      : "";
    return {
      tone: failing.length ? "warn" : "good",
      sentence: `Delegation works: the worker acts for people through token exchange (Tier 2) with their offline consent, and service accounts are rejected as intended.${extra}`,
    };
  }
  if (probes.every((p) => p.status === "not_checked"))
    return { tone: "warn", sentence: "Not checked yet: run the probes to see which delegation methods work." };
  const broken = failing.length ? failing.map((p) => TIER_TITLES[p.mechanism]).join("; ") : TIER_TITLES["tier2-token-exchange"];
  return {
    tone: "bad",
    sentence: `Delegation does not work yet: ${broken} ${failing.length > 1 ? "fail" : "fails"}. The fix is in its row below.`,
  };
}
