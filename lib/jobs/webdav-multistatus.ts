/** One entry of a WebDAV PROPFIND answer. */
export type TDavEntry = { href: string; path: string; isFolder: boolean; size: number; etag: string | null; lastModified: string | null };

// Servers differ in namespace prefixes (Nextcloud writes d:, others D: or none): match any prefix.
const tag = (name: string) => new RegExp(`<(?:[A-Za-z][\\w.-]*:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z][\\w.-]*:)?${name}>`, "i");
const RESPONSE = /<(?:[A-Za-z][\w.-]*:)?response(?:\s[^>]*)?>([\s\S]*?)<\/(?:[A-Za-z][\w.-]*:)?response>/gi;
const COLLECTION = /<(?:[A-Za-z][\w.-]*:)?collection\s*\/?>/i;

function decodeXmlText(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

// A server that sends a malformed escape must not make the whole listing unreadable.
function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/**
 * Reads the multistatus body of a PROPFIND: href (decoded to a path), folder or file, size and etag.
 * Only the few properties the tasks need; unknown elements are ignored.
 */
export function parseMultistatus(xml: string): TDavEntry[] {
  const out: TDavEntry[] = [];
  for (const m of xml.matchAll(RESPONSE)) {
    const block = m[1] ?? "";
    const href = decodeXmlText(tag("href").exec(block)?.[1]?.trim() ?? "");
    if (!href) continue;
    const ok = /HTTP\/1\.[01] 200/.test(block) || !/<(?:[A-Za-z][\w.-]*:)?status>/i.test(block);
    if (!ok) continue;
    const path = decodePath(href.replace(/^https?:\/\/[^/]+/, ""));
    const size = Number(tag("getcontentlength").exec(block)?.[1]?.trim() ?? "0");
    out.push({
      href,
      path,
      isFolder: COLLECTION.test(block),
      size: Number.isFinite(size) ? size : 0,
      etag: decodeXmlText(tag("getetag").exec(block)?.[1]?.trim() ?? "").replace(/^"|"$/g, "") || null,
      lastModified: tag("getlastmodified").exec(block)?.[1]?.trim() ?? null,
    });
  }
  return out;
}

export const PROPFIND_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/><d:getetag/><d:getlastmodified/></d:prop></d:propfind>`;
