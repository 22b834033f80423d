import { z } from "zod";

/** The parts of a realm export (keycloak/realm-export.json) that decide what Keycloak's consent screen lists. */
export const ZRealmConsentSchema = z.object({
  realm: z.string(),
  clients: z.array(
    z.object({
      clientId: z.string(),
      name: z.string().optional(),
      description: z.string().optional(),
      attributes: z.record(z.string(), z.string()).optional(),
      defaultClientScopes: z.array(z.string()).optional(),
      optionalClientScopes: z.array(z.string()).optional(),
    }),
  ),
  clientScopes: z.array(z.object({ name: z.string(), attributes: z.record(z.string(), z.string()).optional() })),
});
export type TRealmConsent = z.infer<typeof ZRealmConsentSchema>;

/** One line of Keycloak's consent screen: `text` exactly as Keycloak shows it, `scope` null for the client's own line. */
export type TConsentItem = { scope: string | null; text: string };

export type TClientConsent = { clientId: string; name: string; description: string | null; items: TConsentItem[] };

/** `${key}` texts are message keys of Keycloak's login theme; anything else is shown verbatim. */
function resolveText(text: string, messages: Record<string, string>): string {
  const key = text.match(/^\$\{(.+)\}$/)?.[1];
  return key ? (messages[key] ?? key) : text;
}

/**
 * What Keycloak's consent screen lists when `clientId` asks for `requestedScopes` (with prompt=consent, so
 * nothing is skipped as already granted), computed the way Keycloak does: the client's own line when its
 * `display.on.consent.screen` is "true" (text: `consent.screen.text`, else its name), every default client
 * scope, and every requested optional scope, each unless its `display.on.consent.screen` is "false"
 * (text: `consent.screen.text`, else the scope's name). `openid` is not a client scope and is never listed.
 */
export function consentItemsOf(
  realm: TRealmConsent,
  clientId: string,
  requestedScopes: readonly string[],
  messages: Record<string, string>,
): TClientConsent {
  const client = realm.clients.find((c) => c.clientId === clientId);
  if (!client) throw new Error(`realm ${realm.realm} has no client ${clientId}`);
  const name = client.name ? resolveText(client.name, messages) : clientId;
  const items: TConsentItem[] = [];
  if (client.attributes?.["display.on.consent.screen"] === "true") {
    items.push({ scope: null, text: resolveText(client.attributes["consent.screen.text"] || name, messages) });
  }
  const optional = client.optionalClientScopes ?? [];
  const scopes = [...(client.defaultClientScopes ?? []), ...requestedScopes.filter((s) => optional.includes(s))];
  for (const scopeName of new Set(scopes)) {
    const scope = realm.clientScopes.find((s) => s.name === scopeName);
    if (!scope || scope.attributes?.["display.on.consent.screen"] === "false") continue;
    items.push({ scope: scopeName, text: resolveText(scope.attributes?.["consent.screen.text"] || scopeName, messages) });
  }
  return { clientId, name, description: client.description ? resolveText(client.description, messages) : null, items };
}
