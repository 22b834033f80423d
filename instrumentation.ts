/** Runs once when the Next server starts: refuse to serve with incomplete configuration. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, ConfigError } = await import("./lib/env");
  try {
    env();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Cannot start the Delegation Dashboard.\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
