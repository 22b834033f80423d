import type { TAuditAction, TAuditMechanism } from "./audit-kinds";

/** What an audit event says. Never token material: recorders redact, but callers must not pass tokens. */
export type TAuditInput = {
  /** Who acted: a client id (e.g. the worker) or a person's Keycloak subject. */
  actor: string;
  actorType: "user" | "admin" | "client" | "system";
  /** On whose behalf: the user's Keycloak subject, when there is one. */
  subject?: string | null;
  /** The `act` claim chain, where a provider issues one (Keycloak 26.7 does not). */
  actChain?: unknown;
  action: TAuditAction;
  resource?: string | null;
  outcome: "success" | "failure" | "refused" | "pending";
  /** The provider's `error` code (e.g. invalid_grant), verbatim. */
  errorCode?: string | null;
  taskId?: string | null;
  correlationId: string;
  /** Delegation mechanism used: offline-refresh, token-exchange, user-token, basic-auth… */
  mechanism?: TAuditMechanism | null;
  details?: Record<string, unknown>;
};

/** Injected wherever events happen, so the token module and the worker stay independent of storage. */
export type TAuditRecorder = (event: TAuditInput) => Promise<void>;
