export type TRequestDescription = {
  /** What happened, in plain words: "Listed the folder Notes". */
  what: string;
  /** How Nextcloud answered, in plain words: "done", "not found", "refused". */
  result: string;
  tone: "good" | "bad" | "neutral";
  /** The exact request for people who want it: "PROPFIND /remote.php/dav/files/alice/Notes/ → 207". */
  technical: string;
};

const FILES_ROOT = /^\/remote\.php\/dav\/files\/[^/]+\/?/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A WebDAV path as a person reads it: relative to their files, no doubled or trailing slashes. */
export function readablePath(path: string): string {
  const rel = decode(path.replace(FILES_ROOT, ""))
    .replace(/\/{2,}/g, "/")
    .replace(/^\/|\/$/g, "");
  return rel;
}

function resultOf(status: number | null, outcome: string): Pick<TRequestDescription, "result" | "tone"> {
  if (status === null)
    return outcome.startsWith("success")
      ? { result: "done", tone: "good" }
      : { result: outcome.startsWith("refused") ? "refused before sending" : "failed", tone: "bad" };
  if (status >= 200 && status < 300) return { result: "done", tone: "good" };
  if (status === 401 || status === 403) return { result: "refused by Nextcloud", tone: "bad" };
  if (status === 404) return { result: "not found", tone: "neutral" };
  return { result: `failed (Nextcloud answered ${status})`, tone: "bad" };
}

/** One audited Nextcloud request (method, path, status) as a sentence, with the raw request kept for a tooltip. */
export function describeNextcloudRequest(method: string, path: string, status: number | null, outcome: string): TRequestDescription {
  const m = method.toUpperCase();
  const rel = readablePath(path);
  const isFiles = FILES_ROOT.test(path);
  let what: string;
  if (path.startsWith("/ocs/") && path.includes("/cloud/user")) what = "Read your account name";
  else if (m === "PROPFIND") what = isFiles ? (rel ? `Listed the folder ${rel}` : "Listed your top folder") : `Listed ${rel || path}`;
  else if (m === "GET") what = isFiles ? `Read the file ${rel}` : `Read ${path}`;
  else what = `${m.charAt(0)}${m.slice(1).toLowerCase()} ${rel || path}`;
  const technical = `${m} ${path.replace(/(?<!:)\/{2,}/g, "/")}${status !== null ? ` → ${status}` : ` (${outcome})`}`;
  return { what, ...resultOf(status, outcome), technical };
}
