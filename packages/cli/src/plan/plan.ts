import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { ConfigDelivery, PlatformDescription } from "@minos/core";
import { MinosError } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { CliError, parseCommand, UsageError } from "../cli-error.js";
import type { PlannedResource } from "./mock-engine.js";
import { planProgram } from "./mock-engine.js";
import { PLAN_HELP } from "./plan-help.js";
import { withProviderSummary } from "./provider-summary.js";
import { stackOutputs } from "./stack-outputs.js";
import { registerTypeScript } from "./typescript-loader.js";

export { PLAN_HELP };

/** One node group's first-boot payload, as a plan reports it. */
export interface PlannedPayload {
  /** The cluster or node group component. */
  component: string;
  /** `control-plane`, `control-plane-join` or `worker/<pool>`. */
  group: string;
  bytes: number;
  /** How it reaches the node: `pointer` (stored by the platform), `user-data`, `metadata`, `fw_cfg`, `cidata`, `smbios`. */
  delivery: string;
  /** The platform's limit for that delivery, where it has one. */
  limit?: number;
}

/** What a plan found. */
export interface PlanResult {
  project: string;
  resources: {
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    /** What the program gave it; a dynamic provider's code summarised (`ProviderSummary`). */
    inputs?: Record<string, unknown>;
  }[];
  payloads: PlannedPayload[];
  /** The program's stack outputs, secret ones as `"[secret]"`. */
  outputs: Record<string, unknown>;
  /** Whether to print JSON. */
  json: boolean;
}

/**
 * Plans a program directory (Pulumi.yaml + index.ts) in this process: TypeScript
 * through tsx, resources through mocks. Call once per process.
 */
export async function plan(argv: string[]): Promise<PlanResult | "help"> {
  const { values, positionals } = parseCommand(argv, {
    config: { type: "string", multiple: true },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (positionals.length === 0)
    throw new UsageError("plan", "name the program's folder (the one with its Pulumi.yaml)");
  const dir = positionals[0] === undefined ? undefined : resolve(positionals[0]);
  if (!dir || positionals.length !== 1 || !existsSync(join(dir, "Pulumi.yaml")))
    throw new MinosError(
      "<example-dir>",
      positionals.join(" ") || undefined,
      "name a folder with a Pulumi.yaml",
    );
  const project = String(
    (parse(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as { name?: unknown }).name,
  );
  const config: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const at = pair.indexOf("=");
    if (at < 1) throw new MinosError("--config", pair, "use key=value");
    config[pair.slice(0, at)] = pair.slice(at + 1);
  }
  registerTypeScript();
  // Caught inside the program: Pulumi's runtime would report it again, with a stack.
  let failed: Error | undefined;
  let exports: unknown;
  const planned = await planProgram(
    async () => {
      try {
        exports = loadProgram(join(dir, "index.ts"));
        // A program may export a function, which Pulumi calls: its result is the stack's outputs.
        if (typeof exports === "function") exports = await (exports as () => unknown)();
      } catch (error) {
        failed = programError(error);
      }
    },
    project,
    "plan",
    config,
  );
  if (failed) throw failed;
  return {
    project,
    resources: planned.map(({ type, name, parent, custom, inputs }) => ({
      type,
      name,
      ...(parent !== undefined && { parent }),
      custom,
      ...(inputs !== undefined && { inputs: withProviderSummary(inputs) }),
    })),
    payloads: await payloads(planned),
    outputs: await stackOutputs(exports),
    json: values.json === true,
  };
}

/** The program's module; a missing import says which package to install. */
function loadProgram(file: string): unknown {
  try {
    return require(file);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const missing = /Cannot find module '([^']+)'/.exec(message ?? "")?.[1];
    const unbuilt =
      code === "MODULE_NOT_FOUND" && missing ? unbuiltPackage(missing, dirname(file)) : undefined;
    if (unbuilt) throw new CliError(unbuilt);
    if (code === "MODULE_NOT_FOUND" && missing && !missing.startsWith("."))
      throw new CliError(
        `the program imports ${missing}, which is not installed where it runs: install the program's dependencies (npm install, or pnpm install) in ${file.replace(/\/index\.ts$/, "")}`,
      );
    throw error;
  }
}

/**
 * When a missing file is inside a package that is installed (its
 * package.json is there, and it is not the program) the package is not built: what to run, in one
 * line. Undefined for anything else.
 */
function unbuiltPackage(missing: string, program: string): string | undefined {
  if (!isAbsolute(missing)) return undefined;
  for (let dir = dirname(missing); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    // A file of the program's own is missing, not a build.
    if (resolve(dir) === resolve(program)) return undefined;
    const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
    if (!name) return undefined;
    return `${name} is installed but not built (${relative(dir, missing)} is missing): in a clone of minos, run pnpm install at its root, which builds every package (or pnpm build); packed packages carry their build`;
  }
  return undefined;
}

/** What a failed program needs, in one line: the config to set, or its own first line. */
function programError(error: unknown): Error {
  if (error instanceof CliError || error instanceof MinosError) return error;
  const message = (error as Error)?.message ?? String(error);
  const key = /Missing required configuration variable '([^']+)'/.exec(message)?.[1];
  if (key) return new CliError(`the program needs config ${key}: pass --config ${key}=<value>`);
  return new CliError(`the program failed: ${message.split("\n")[0]}`);
}

/** Every cluster's and node group's payloads: size, delivery, and the platform's limit. */
async function payloads(planned: PlannedResource[]): Promise<PlannedPayload[]> {
  const found: PlannedPayload[] = [];
  for (const p of planned) {
    const component = p.resource as {
      nodeConfigs?: pulumi.Output<Record<string, string>>;
      delivery?: ConfigDelivery;
      deliveries?: Record<string, ConfigDelivery>;
      platform?: PlatformDescription;
    };
    const configs = component.nodeConfigs;
    if (!pulumi.Output.isInstance(configs) || !component.delivery) continue;
    const all = await new Promise<Record<string, string>>((r) => configs.apply(r));
    for (const [group, payload] of Object.entries(all)) {
      // A cluster's control plane may get its payload another way than its workers.
      const delivery = component.deliveries?.[group] ?? component.delivery;
      const limit = component.platform?.payloadLimit?.(delivery);
      found.push({
        component: p.name,
        group,
        bytes: Buffer.byteLength(payload),
        delivery: "pointer" in delivery && delivery.pointer ? "pointer" : delivery.kind,
        ...(limit && { limit: limit.bytes }),
      });
    }
  }
  return found;
}

/** The plan as JSON, for policy checks: what `pulumi preview --json` would let them read. */
export function planJson(result: PlanResult): string {
  const { project, resources, payloads, outputs } = result;
  return `${JSON.stringify({ project, resources, payloads, outputs }, null, 2)}\n`;
}

/** The plan as text: a resource table, then payload sizes. */
export function formatPlan(dir: string, result: PlanResult): string {
  const rows = result.resources.map((r) => [r.type, r.name, r.parent ?? "-"]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] as string).length), 4));
  const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - s.length));
  const lines = [
    `minos plan ${dir} (${result.project}): ${result.resources.length} resources`,
    "",
    `${pad("TYPE", widths[0] as number)}  ${pad("NAME", widths[1] as number)}  PARENT`,
    ...rows.map(
      (r) =>
        `${pad(r[0] as string, widths[0] as number)}  ${pad(r[1] as string, widths[1] as number)}  ${r[2]}`,
    ),
    "",
    "first-boot payloads:",
    ...result.payloads.map(
      (p) =>
        `  ${p.component} ${p.group}: ${p.bytes} bytes by ${p.delivery}${p.limit ? ` (limit ${p.limit})` : ""}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
