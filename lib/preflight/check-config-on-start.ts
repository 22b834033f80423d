import { ConfigError, env } from "../env";

/** Refuses to let the Next server serve with incomplete configuration; the message names what to set. */
export function checkConfigOnStart(): void {
  try {
    env();
  } catch (error) {
    if (error instanceof ConfigError) {
      // eslint-disable-next-line no-console -- a person reads this at start-up, before any log pipeline exists
      console.error(`Cannot start the Delegation Dashboard.\n${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
