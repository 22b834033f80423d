import { decodeJwt } from "jose";

/** The `sub` of a JWT this process already holds (no verification: only for labelling and audit). */
export function tokenSubject(token: string): string | null {
  try {
    const sub = decodeJwt(token).sub;
    return typeof sub === "string" ? sub : null;
  } catch {
    return null;
  }
}
