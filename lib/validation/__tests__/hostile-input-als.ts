// Next's request storage needs AsyncLocalStorage on globalThis, which its server bootstrap installs. Import
// this module before anything from Next so the route handlers run in a real Next request scope.
import { AsyncLocalStorage } from "node:async_hooks";

(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
