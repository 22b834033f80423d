import { register } from "node:module";

const HOOK = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export {}", shortCircuit: true };
  return next(specifier, context);
}`;

/**
 * Lets plain-Node entry points (the verify CLI, the benchmark) import server modules: outside Next,
 * the "server-only" marker would throw, so it is resolved to an empty module. Call before importing them.
 */
export function registerNodeEntry(): void {
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
}
