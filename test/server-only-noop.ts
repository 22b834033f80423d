// Vitest runs server modules in plain Node, where the "server-only" marker has nothing to guard.
export {};
