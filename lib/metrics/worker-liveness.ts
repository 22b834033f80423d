/**
 * A worker whose heartbeat row is older than this is shown as gone (it died without deleting its row).
 * Workers beat every WORKER_HEARTBEAT_SECONDS (at most 10 s), so this is three missed beats or more.
 */
export const WORKER_GONE_AFTER_SECONDS = 30;
