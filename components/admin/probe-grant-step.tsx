"use client";

import Link from "next/link";
import type { TTierProbeView } from "@/lib/services/tiers/tier-types";
import { TIER_TITLES } from "@/lib/services/tiers/tier-types";
import { GRANT_RETURN_COOKIE } from "@/lib/format/grant-return-to";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

/** Props: `waiting` (the probes that need a grant of the admin's own). One guided step instead of the same fix in every row; the consent brings the admin back here. */
export function ProbeGrantStep({ waiting }: { waiting: TTierProbeView[] }) {
  const comeBackHere = () => {
    document.cookie = `${GRANT_RETURN_COOKIE}=/admin/tiers; path=/grants/callback; max-age=900; samesite=lax`;
  };
  return (
    <Card aria-labelledby="probe-step-heading" className="space-y-3 border-amber-300">
      <h2 id="probe-step-heading" className="text-lg font-semibold">
        Next step: grant the probe access as yourself
      </h2>
      <p className="text-slate-700">
        {waiting.length === 1 ? "One check needs" : `${waiting.length} checks need`} a grant of your own before they can run. The probes act
        only through your own most recent grant — never another person&apos;s.
      </p>
      <ul className="list-disc pl-5 text-sm text-slate-700" aria-label="Checks waiting for a probe grant">
        {waiting.map((p) => (
          <li key={p.mechanism} data-waiting-mechanism={p.mechanism}>
            {TIER_TITLES[p.mechanism]}
          </li>
        ))}
      </ul>
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Continue to the grant page and to Keycloak&apos;s consent screen (Notes index access).</li>
        <li>Keycloak brings you back here, and the probes run at once.</li>
      </ol>
      <Button asChild variant="primary">
        <Link href="/grants/new?task=notes-index&returnTo=/admin/tiers" onClick={comeBackHere}>
          Grant probe access
        </Link>
      </Button>
    </Card>
  );
}
