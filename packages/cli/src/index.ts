/**
 * @minos/cli: the `minos` command, also usable as a library.
 */
export { generateSecrets, generateTalosSecrets, parseSecrets } from "./local-secrets.js";
export { OPERATING_SYSTEMS, type RenderableOs } from "./operating-systems.js";
export { invokeResult, resourceOutputs } from "./plan/cloud-answers.js";
export { type PlannedResource, planProgram } from "./plan/mock-engine.js";
export { formatPlan, PLAN_HELP, type PlanResult, plan } from "./plan/plan.js";
export { RENDER_HELP, type RenderResult, render } from "./render.js";
