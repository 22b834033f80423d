/** Runs once when the Next server starts (Node runtime only). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigOnStart } = await import("./lib/preflight/check-config-on-start");
    checkConfigOnStart();
  }
}
