/** One request as the stand-in saw it. `status` stays null until the response has been sent. */
export interface TRequestLogEntry {
  time: string;
  method: string;
  path: string;
  uid: string | null;
  sub: string | null;
  azp: string | null;
  auth: "bearer" | "basic" | "app-password" | "none";
  status: number | null;
}

/**
 * Append-only log of the Nextcloud-facing requests (control endpoints are not logged). An entry is added
 * when the request arrives, before authentication, so a test that asserts "no request after X" also
 * sees requests that were rejected or are still in flight.
 */
export class RequestLog {
  private entries: TRequestLogEntry[] = [];

  /** Records an arriving request and returns the live entry, to be completed as the request proceeds. */
  begin(method: string, path: string): TRequestLogEntry {
    const entry: TRequestLogEntry = {
      time: new Date().toISOString(),
      method,
      path,
      uid: null,
      sub: null,
      azp: null,
      auth: "none",
      status: null,
    };
    this.entries.push(entry);
    return entry;
  }

  /** A snapshot copy: callers cannot mutate the log. */
  list(): TRequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
