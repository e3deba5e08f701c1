import * as pulumi from "@pulumi/pulumi";
import { invokeResult, resourceOutputs } from "./cloud-answers.js";

/** One resource a program declared, as `minos plan` lists it. */
export interface PlannedResource {
  type: string;
  name: string;
  /** The parent's name, for resources inside a component. */
  parent?: string;
  custom: boolean;
  /** The resource object itself, for reading its outputs. */
  resource: pulumi.Resource;
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
): Promise<PlannedResource[]> {
  const planned: PlannedResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: async (args) => ({
        id: `${args.name}-id`,
        state: resourceOutputs(args.type, args.name, args.inputs),
      }),
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
    for (let last = -1; last !== planned.length; ) {
      last = planned.length;
      await new Promise((r) => setTimeout(r, 500));
    }
    return {};
  });
  return planned;
}
