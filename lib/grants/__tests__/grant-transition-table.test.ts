import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { assertGrantTransition, isFinalGrantStatus, WIPED_GRANT_SECRETS, type TGrantStatus } from "../grant-lifecycle";

/**
 * The grant state machine as a table, checked pair by pair without a database: every transition the
 * README draws is allowed, every other one throws, and the final states are exactly the ones nothing leaves.
 * (grant-lifecycle.test.ts proves the transition functions use this table against real rows, and that each
 * transition into a final state wipes the sealed tokens.)
 */
const STATUSES: TGrantStatus[] = ["active", "revoking", "revoked", "revoked_at_provider"];
const ALLOWED = new Set(["active→active", "active→revoking", "active→revoked_at_provider", "revoking→revoked"]);

const outcome = (from: string, to: TGrantStatus) => {
  try {
    assertGrantTransition(from, to);
    return "allowed";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("the grant transition table", () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const key = `${from}→${to}`;
      it(`${ALLOWED.has(key) ? "allows" : "refuses"} ${key}`, () => {
        expect(outcome(from, to)).toBe(ALLOWED.has(key) ? "allowed" : `Grant transition ${from} → ${to} is not allowed`);
      });
    }
  }

  it("refuses any transition out of a status it does not know", () => {
    expect(outcome("paused", "active")).toBe("Grant transition paused → active is not allowed");
    expect(outcome("", "revoked")).toBe("Grant transition  → revoked is not allowed");
  });

  it("wipes every sealed column the Grant model has (a new one must be added to the wipe), leaving nothing readable", () => {
    const sealed = Object.keys(Prisma.GrantScalarFieldEnum).filter((f) => f.endsWith("Enc"));
    expect(sealed.length).toBeGreaterThan(0);
    expect(Object.keys(WIPED_GRANT_SECRETS).sort()).toEqual([...sealed, "accessExpiresAt"].sort());
    // refreshTokenEnc is NOT NULL in the schema, so it is emptied; the nullable ones are nulled.
    expect(WIPED_GRANT_SECRETS).toEqual({ refreshTokenEnc: "", accessTokenEnc: null, accessExpiresAt: null });
  });

  it("names exactly revoked and revoked_at_provider final", () => {
    expect(STATUSES.filter(isFinalGrantStatus)).toEqual(["revoked", "revoked_at_provider"]);
  });
});
