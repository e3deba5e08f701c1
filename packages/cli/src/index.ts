/**
 * @minos/cli: the `minos` command, also usable as a library.
 */

export type { Command } from "./command.js";
export { COMMANDS } from "./commands.js";
export { type IgnitionTree, writeIgnitionTree } from "./files/ignition-tree.js";
export { generateSecrets, generateTalosSecrets, parseSecrets } from "./local-secrets.js";
export { OPERATING_SYSTEMS, type RenderableOs } from "./operating-systems.js";
export { invokeResult, resourceOutputs } from "./plan/cloud-answers.js";
export { type PlannedResource, planProgram } from "./plan/mock-engine.js";
export { formatPlan, PLAN_HELP, type PlanResult, plan } from "./plan/plan.js";
export { type ProviderSummary, summariseProvider } from "./plan/provider-summary.js";
export { RENDER_HELP, type RenderResult, render } from "./render.js";
