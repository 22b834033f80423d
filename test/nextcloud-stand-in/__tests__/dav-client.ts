/** What the tests read from one `<d:response>` of a PROPFIND multistatus. */
export interface TDavEntry {
  href: string;
  isCollection: boolean;
  size: number | null;
  etag: string | null;
}

/** Small regex reader for the multistatus bodies webdav-server produces (tests only). */
export function parseMultistatus(xml: string): TDavEntry[] {
  const responses = xml.match(/<D:response>[\s\S]*?<\/D:response>/g) ?? [];
  return responses.map((block) => {
    const text = (tag: string) => new RegExp(`<D:${tag}>([^<]*)</D:${tag}>`).exec(block)?.[1] ?? null;
    const size = text("getcontentlength");
    return {
      href: decodeURIComponent(text("href") ?? ""),
      isCollection: /<D:collection\s*\/>/.test(block),
      size: size === null ? null : Number(size),
      etag: text("getetag"),
    };
  });
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

export function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}
