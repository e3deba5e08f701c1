/**
 * @minos/cli: the `minos` command, also usable as a library.
 */

export type { Command } from "./command.js";
export { COMMANDS } from "./commands.js";
export type { IgnitionTree } from "./files/ignition-tree.js";
export { writeIgnitionTree } from "./files/ignition-tree.js";
export { generateSecrets, generateTalosSecrets, parseSecrets } from "./local-secrets.js";
export type { RenderableOs } from "./operating-systems.js";
export { OPERATING_SYSTEMS } from "./operating-systems.js";
export { invokeResult, resourceOutputs } from "./plan/cloud-answers.js";
export type { PlannedResource } from "./plan/mock-engine.js";
export { planProgram } from "./plan/mock-engine.js";
export type { PlanResult } from "./plan/plan.js";
export { formatPlan, PLAN_HELP, plan } from "./plan/plan.js";
export type { ProviderSummary } from "./plan/provider-summary.js";
export { summariseProvider } from "./plan/provider-summary.js";
export type { RenderResult } from "./render.js";
export { RENDER_HELP, render } from "./render.js";
export type { ReportResult } from "./report/report.js";
export { report } from "./report/report.js";
export { REPORT_HELP } from "./report/report-help.js";
