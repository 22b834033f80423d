import { handleBackchannelLogout } from "@/lib/services/grants/handle-backchannel-logout";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/logger";
import { logoutDone, logoutFailed, readLogoutToken, refuseLogoutToken } from "@/lib/http/read-logout-token";

/** OIDC Back-Channel Logout endpoint of the worker client (called by Keycloak, server to server). */
export async function POST(req: Request) {
  const read = await readLogoutToken(req);
  if ("problem" in read) return refuseLogoutToken(read.problem);
  try {
    await handleBackchannelLogout(read.token);
    return logoutDone();
  } catch (error) {
    if (error instanceof AppError && error.code === "BadInput") return refuseLogoutToken(error.message);
    log.error("back-channel logout failed", { error });
    return logoutFailed();
  }
}
