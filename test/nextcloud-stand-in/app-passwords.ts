import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** One app password as Nextcloud keeps it: a "device" in Settings → Security → Devices & sessions. */
export interface TStandInDevice {
  id: string;
  uid: string;
  loginName: string;
  /** The client's name as Nextcloud shows it (the User-Agent of the client that started the flow). */
  name: string;
  createdAt: string;
  lastActivity: string | null;
}

type TStoredDevice = TStandInDevice & { password: string };

/** A Login Flow v2 in progress: the client polls with `pollToken`, the person opens the `loginToken` page. */
interface TLoginFlow {
  pollToken: string;
  loginToken: string;
  clientName: string;
  startedAt: number;
  result: { loginName: string; appPassword: string } | null;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 72 random letters and digits, the shape of a real Nextcloud app password. */
function newAppPassword(): string {
  const bytes = randomBytes(72);
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
}

function newToken(): string {
  return randomBytes(48).toString("hex");
}

/**
 * The stand-in's Login Flow v2 and app-password store (not a real Nextcloud). Mirrors what Nextcloud
 * does: a flow lives 20 minutes; the poll answers the credentials exactly once and then forgets the flow;
 * each approval creates one app password = one device; deleting it (the app-password OCS endpoint, or
 * "Revoke" in Devices & sessions) makes it answer 401 from then on.
 */
export class AppPasswordStore {
  private flows = new Map<string, TLoginFlow>();
  private devices = new Map<string, TStoredDevice>();

  constructor(private readonly flowTtlMs: () => number) {}

  startFlow(clientName: string): { pollToken: string; loginToken: string } {
    const flow: TLoginFlow = { pollToken: newToken(), loginToken: newToken(), clientName, startedAt: Date.now(), result: null };
    this.flows.set(flow.pollToken, flow);
    return { pollToken: flow.pollToken, loginToken: flow.loginToken };
  }

  /** The flow behind a login page, while it is still open (not approved, not expired). */
  openFlowByLoginToken(loginToken: string): { clientName: string } | null {
    for (const flow of this.flows.values()) {
      if (flow.loginToken === loginToken && !flow.result && !this.expired(flow)) return { clientName: flow.clientName };
    }
    return null;
  }

  /** The person granted access on the login page as `uid`: an app password (device) is created for the flow. */
  approve(loginToken: string, uid: string): boolean {
    for (const flow of this.flows.values()) {
      if (flow.loginToken !== loginToken || flow.result || this.expired(flow)) continue;
      const password = newAppPassword();
      const device: TStoredDevice = {
        id: randomUUID(),
        uid,
        loginName: uid,
        name: flow.clientName,
        createdAt: new Date().toISOString(),
        lastActivity: null,
        password,
      };
      this.devices.set(device.id, device);
      flow.result = { loginName: uid, appPassword: password };
      return true;
    }
    return false;
  }

  /** The poll: null (Nextcloud answers 404) until approved; then the credentials, once. */
  poll(pollToken: string): { loginName: string; appPassword: string } | null {
    const flow = this.flows.get(pollToken);
    if (!flow) return null;
    if (this.expired(flow)) {
      this.flows.delete(pollToken);
      return null;
    }
    if (!flow.result) return null;
    this.flows.delete(pollToken);
    return flow.result;
  }

  /** The device an app password belongs to, when `loginName:password` is valid; records its use. */
  authenticate(loginName: string, password: string): TStandInDevice | null {
    for (const d of this.devices.values()) {
      if (sameSecret(d.password, password) && d.loginName === loginName) {
        d.lastActivity = new Date().toISOString();
        return publicView(d);
      }
    }
    return null;
  }

  deleteDevice(id: string, uid?: string): boolean {
    const d = this.devices.get(id);
    if (!d || (uid !== undefined && d.uid !== uid)) return false;
    this.devices.delete(id);
    return true;
  }

  listDevices(uid?: string): TStandInDevice[] {
    return [...this.devices.values()].filter((d) => uid === undefined || d.uid === uid).map(publicView);
  }

  reset(): void {
    this.flows.clear();
    this.devices.clear();
  }

  private expired(flow: TLoginFlow): boolean {
    return Date.now() - flow.startedAt > this.flowTtlMs();
  }
}

function publicView(d: TStoredDevice): TStandInDevice {
  return { id: d.id, uid: d.uid, loginName: d.loginName, name: d.name, createdAt: d.createdAt, lastActivity: d.lastActivity };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
