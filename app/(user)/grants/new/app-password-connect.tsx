"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { pollAppPasswordAction, startAppPasswordAction } from "./actions";

type TState =
  | { step: "idle" }
  | { step: "starting" }
  | { step: "waiting"; loginUrl: string }
  | { step: "connected"; loginName: string }
  | { step: "failed"; message: string };

const POLL_MS = 2_000;

/**
 * "Connect by app password": starts Nextcloud's Login Flow v2, shows the Nextcloud page to open, polls
 * until Nextcloud hands the app password over (or the flow fails or times out), then says what happened.
 */
export function AppPasswordConnect({
  nextcloudUrl,
  account,
  alreadyConnected,
}: {
  nextcloudUrl: string;
  account: string;
  alreadyConnected: boolean;
}) {
  const [state, setState] = useState<TState>({ step: "idle" });

  useEffect(() => {
    if (state.step !== "waiting") return;
    let stopped = false;
    const poll = async () => {
      const r = await pollAppPasswordAction({});
      if (stopped) return;
      if (!r.ok) setState({ step: "failed", message: r.error });
      else if (r.data.state === "connected") setState({ step: "connected", loginName: r.data.loginName });
      else if (r.data.state === "failed") setState({ step: "failed", message: r.data.detail });
    };
    const timer = setInterval(() => {
      poll().catch(() => setState({ step: "failed", message: "The dashboard could not ask Nextcloud; try again." }));
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [state.step]);

  const start = async () => {
    setState({ step: "starting" });
    const r = await startAppPasswordAction({});
    setState(r.ok ? { step: "waiting", loginUrl: r.data.loginUrl } : { step: "failed", message: r.error });
  };

  return (
    <section aria-labelledby="app-password-heading" className="space-y-3 rounded border bg-white p-4">
      <h2 id="app-password-heading" className="text-lg font-semibold">
        Or connect by Nextcloud app password
      </h2>
      <p className="text-sm text-slate-700">
        Nextcloud creates an app password for the worker after you sign in at {nextcloudUrl} as <strong>{account}</strong> and press “Grant
        access”. Unlike the OAuth grant above it has <strong>no scopes</strong>: it reaches everything your Nextcloud account can (files,
        calendars, contacts, notes), and Nextcloud lists it under Settings → Security → Devices &amp; sessions. Revoking it here deletes it
        at Nextcloud.
      </p>
      {alreadyConnected && state.step !== "connected" ? (
        <p className="text-sm">
          You already connected an app password; see{" "}
          <Link className="text-blue-700 underline" href="/access">
            My access
          </Link>
          .
        </p>
      ) : state.step === "idle" || state.step === "starting" ? (
        <Button variant="primary" size="md" onClick={start} disabled={state.step === "starting"}>
          {state.step === "starting" ? "Asking Nextcloud…" : "Connect by app password"}
        </Button>
      ) : state.step === "waiting" ? (
        <div role="status" className="space-y-2">
          <p>
            <a className="font-medium text-blue-700 underline" href={state.loginUrl} target="_blank" rel="noopener noreferrer">
              Open Nextcloud to grant access
            </a>
          </p>
          <p className="text-sm text-slate-600">
            Waiting for Nextcloud… This page notices by itself when you have granted access (the link stays valid for 20 minutes).
          </p>
        </div>
      ) : state.step === "connected" ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-800">
          Connected by app password as {state.loginName}. Manage it under{" "}
          <Link className="underline" href="/access">
            My access
          </Link>
          ; enable tasks under{" "}
          <Link className="underline" href="/tasks">
            Tasks
          </Link>
          .
        </p>
      ) : (
        <div className="space-y-2">
          <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-800">
            {state.message}
          </p>
          <Button onClick={() => setState({ step: "idle" })}>Try again</Button>
        </div>
      )}
    </section>
  );
}
