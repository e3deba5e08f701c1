import * as pulumi from "@pulumi/pulumi";
import { invokeResult, resourceOutputs } from "./cloud-answers.js";
import { realShaped } from "./real-certificates.js";

/** One resource a program declared, as `minos plan` lists it. */
export interface PlannedResource {
  type: string;
  name: string;
  /** The parent's name, for resources inside a component. */
  parent?: string;
  custom: boolean;
  /** The resource object itself, for reading its outputs. */
  resource: pulumi.Resource;
  /**
   * What the program gave a custom resource, as its provider would get it,
   * every secret value replaced by `"[secret]"`.
   */
  inputs?: Record<string, unknown>;
}

/** Pulumi's marker for a secret value in serialized properties. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** A value with every secret inside it replaced by `"[secret]"`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== "object" || value === null) return value;
  if ((value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) return "[secret]";
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
}

/**
 * Runs `program` as a Pulumi stack under mocks: every resource is "created"
 * with the outputs a cloud would give (see `resourceOutputs`), nothing leaves
 * the machine, no credentials are needed. Returns every resource the program
 * declared, components included, once no new one has appeared for half a
 * second after the program returned.
 */
export async function planProgram(
  program: () => unknown,
  project = "minos-plan",
  stack = "plan",
  config: Record<string, string> = {},
  /**
   * `full` (the default): real-shaped certificates, so payload sizes are
   * true, and every custom resource's inputs kept. `lean`: placeholders and
   * no inputs, for measuring the program itself (`pnpm bench`): a real
   * deployment's certificates are made by the tls provider, out of process.
   */
  answers: "full" | "lean" = "full",
): Promise<PlannedResource[]> {
  const planned: PlannedResource[] = [];
  const inputs = new Map<string, Record<string, unknown>>();
  const full = answers === "full";
  pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        const state = resourceOutputs(args.type, args.name, args.inputs);
        if (!full) return { id: `${args.name}-id`, state };
        inputs.set(
          `${args.type}::${args.name}`,
          redactSecrets(args.inputs) as Record<string, unknown>,
        );
        return { id: `${args.name}-id`, state: await realShaped(args.type, state) };
      },
      call: (args) => invokeResult(args.token, args.inputs),
    },
    project,
    stack,
    false,
  );
  for (const [key, value] of Object.entries(config))
    pulumi.runtime.setConfig(key.includes(":") ? key : `${project}:${key}`, value);
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const parent = args.opts.parent as { __name?: string } | undefined;
      planned.push({
        type: args.type,
        name: args.name,
        ...(parent?.__name !== undefined && { parent: parent.__name }),
        custom: args.resource instanceof pulumi.CustomResource,
        resource: args.resource,
      });
      return undefined;
    });
    await program();
    // Declared resources, and (full answers) those the engine was asked to make:
    // one waits for its inputs, so it reaches the engine after it is declared.
    const seen = () => planned.length + inputs.size;
    for (let last = -1; last !== seen(); ) {
      last = seen();
      await new Promise((r) => setTimeout(r, 500));
    }
    return {};
  });
  return planned.map((p) => {
    const given = inputs.get(`${p.type}::${p.name}`);
    return given ? { ...p, inputs: given } : p;
  });
}
