/** What every minos example shares: the workload, and picking a platform from stack config. */
export { nginx } from "./nginx.js";
export { platformFromConfig } from "./platform-from-config.js";
