import type * as pulumi from "@pulumi/pulumi";

// Every minos dynamic provider diffs with the one helper, from the package all of them reach.
export { diffProperties, type PropertyDiff, type PropertyKind } from "@minos/libvirt";

/**
 * What Pulumi serializes for a package's dynamic resource: a few lines that
 * load the real provider by package name in the provider process
 * (`require(module).providers[name]`). The provider stays ordinary,
 * importable and testable code, and nothing of this process's module state
 * is captured. The module must be resolvable from the Pulumi program.
 */
export function dynamicProviderShim(module: string, name: string): pulumi.dynamic.ResourceProvider {
  const load = (): pulumi.dynamic.ResourceProvider &
    Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "update">> =>
    require(module).providers[name];
  return {
    create: (inputs) => load().create(inputs),
    // On refresh; a provider without its own keeps what state holds.
    read: async (id, props) => (await load().read?.(id, props)) ?? { id, props },
    diff: (id, olds, news) => load().diff(id, olds, news),
    update: (id, olds, news) => load().update(id, olds, news),
  };
}
