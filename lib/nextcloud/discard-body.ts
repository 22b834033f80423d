/**
 * Reads and drops a response body we do not need, so its connection is released. Reading, not
 * `body.cancel()`: inside Next.js, fetch hands out one branch of a teed stream, and cancelling one branch
 * of a tee waits for the other — forever — which hung the revoke and the tier probes in the browser tests.
 */
export async function discardBody(res: Response): Promise<void> {
  await res.arrayBuffer().catch(() => undefined);
}
