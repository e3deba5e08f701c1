/**
 * `@minos/workload`: what minos' examples share. The reference workload, so
 * clusters on different OSes and platforms run exactly the same thing, and
 * the platform a stack's config picks.
 */
export { nginx } from "./nginx.js";
export { platformFromConfig } from "./platform-from-config.js";
