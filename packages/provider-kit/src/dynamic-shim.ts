import type * as pulumi from "@pulumi/pulumi";

/** Where a shim looks for its provider module, besides the program's own folder. */
export interface ShimLookup {
  /**
   * Directory of the package that creates the resource (pass `__dirname`),
   * captured as a string when Pulumi serializes the shim: found there on
   * the machine that wrote the state, and nowhere else.
   */
  from: string;
  /**
   * Packages a program lists that depend on the provider's package, to reach
   * it through them when the program does not list it itself (pnpm's strict
   * layout): `@minos/core` for libvirt's providers, made by the KVM platform.
   */
  via?: readonly string[];
}

/**
 * What Pulumi serializes for a minos dynamic resource: a few lines that load
 * the real provider, `require(specifier).providers[name]`, in Pulumi's
 * dynamic-provider process. The provider stays ordinary, importable and
 * testable code, and nothing of this process's module state is captured.
 *
 * That process runs in the program's folder, possibly on another machine
 * than the one that created the resource (a CI job destroying a stack), so
 * the specifier is resolved from the program's folder first, then through the
 * `via` packages found there, then in `from`; when all fail, the error names
 * the package to add to the program.
 */
export function dynamicProviderShim(
  specifier: string,
  name: string,
  lookup: ShimLookup,
): pulumi.dynamic.ResourceProvider {
  const from = lookup.from;
  const via = [...(lookup.via ?? [])];
  // Everything below runs in the provider process: only strings are captured.
  // (Not named `module`: Pulumi would not capture a name Node also defines.)
  const load = (): pulumi.dynamic.ResourceProvider &
    Required<Pick<pulumi.dynamic.ResourceProvider, "diff" | "update">> => {
    const path: typeof import("node:path") = require("node:path");
    const cwd = process.cwd();
    const resolveFrom = (dir: string): string | undefined => {
      try {
        return require.resolve(specifier, { paths: [dir] });
      } catch (error) {
        if ((error as { code?: string }).code === "MODULE_NOT_FOUND") return undefined;
        throw error;
      }
    };
    let file = resolveFrom(cwd);
    for (const anchor of via) {
      if (file) break;
      try {
        const dir = path.dirname(require.resolve(`${anchor}/package.json`, { paths: [cwd] }));
        file = resolveFrom(dir);
      } catch (error) {
        if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
      }
    }
    file ??= resolveFrom(from);
    const pkg = specifier
      .split("/")
      .slice(0, specifier.startsWith("@") ? 2 : 1)
      .join("/");
    if (!file)
      throw new Error(
        `minos: cannot load ${specifier} for this resource's ${name} provider: it is not installed where the Pulumi program runs (${cwd}${via.length > 0 ? `, directly or through ${via.join(", ")}` : ""}). Add ${pkg} to the program's dependencies (npm install ${pkg}, or pnpm add ${pkg}), install, and run again.`,
      );
    const provider = require(file).providers?.[name];
    if (!provider)
      throw new Error(
        `minos: ${pkg} at ${file} has no ${name} provider; install the ${pkg} release that created this resource`,
      );
    return provider;
  };
  return {
    create: (inputs) => load().create(inputs),
    // On refresh; a provider without its own keeps what state holds.
    read: async (id, props) => (await load().read?.(id, props)) ?? { id, props },
    diff: (id, olds, news) => load().diff(id, olds, news),
    update: (id, olds, news) => load().update(id, olds, news),
    // Nothing to delete for providers that only read or call something once.
    delete: async (id, props) => {
      await load().delete?.(id, props);
    },
  };
}
