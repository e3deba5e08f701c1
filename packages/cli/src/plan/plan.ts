import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { MinosError } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { type PlannedResource, planProgram } from "./mock-engine.js";
import { registerTypeScript } from "./typescript-loader.js";

export const PLAN_HELP = `Usage: minos plan <example-dir> [--config key=value ...]

Runs a Pulumi program under mocks and prints the resources it would create
(type, name, parent) and each node group's first-boot payload size: a preview
without cloud credentials or the Pulumi CLI.

Options:
  --config key=value   stack config, as 'pulumi config set' would give it
                       (e.g. platform=aws, gcp:region=europe-west1); repeatable
  -h, --help           show this help
`;

/** What a plan found. */
export interface PlanResult {
  project: string;
  resources: { type: string; name: string; parent?: string; custom: boolean }[];
  /** Payload bytes by `<component> <group>`. */
  payloads: Record<string, number>;
}

/**
 * Plans a program directory (Pulumi.yaml + index.ts) in this process: TypeScript
 * through tsx, resources through mocks. Call once per process.
 */
export async function plan(argv: string[]): Promise<PlanResult | "help"> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
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
  const planned = await planProgram(() => require(join(dir, "index.ts")), project, "plan", config);
  return {
    project,
    resources: planned.map(({ type, name, parent, custom }) => ({
      type,
      name,
      ...(parent !== undefined && { parent }),
      custom,
    })),
    payloads: await payloadSizes(planned),
  };
}

/** Payload sizes of every cluster and node group, from their `nodeConfigs`. */
async function payloadSizes(planned: PlannedResource[]): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const p of planned) {
    const configs = (p.resource as { nodeConfigs?: pulumi.Output<Record<string, string>> })
      .nodeConfigs;
    if (!pulumi.Output.isInstance(configs)) continue;
    const all = await new Promise<Record<string, string>>((r) => configs.apply(r));
    for (const [group, payload] of Object.entries(all))
      sizes[`${p.name} ${group}`] = Buffer.byteLength(payload);
  }
  return sizes;
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
    ...Object.entries(result.payloads).map(([k, v]) => `  ${k}: ${v} bytes`),
  ];
  return `${lines.join("\n")}\n`;
}
