/**
 * @minos/cli: the `minos` command, also usable as a library.
 */
export { generateSecrets, parseSecrets } from "./local-secrets.js";
export { OPERATING_SYSTEMS } from "./operating-systems.js";
export { RENDER_HELP, type RenderResult, render } from "./render.js";
