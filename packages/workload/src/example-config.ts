import { closest, MinosError } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigKey } from "./config-key.js";
import { readmeDefault } from "./config-key.js";

/** The values an example's declared keys read, each typed by its key. */
export type ConfigValues<K extends Record<string, ConfigKey<unknown>>> = {
  readonly [N in keyof K]: K[N] extends ConfigKey<infer T> ? T : never;
};

/** One key the program declared, as its README lists it. */
export interface DeclaredKey {
  name: string;
  type: ConfigKey<unknown>["type"];
  /** As the README's table shows it: `` `1.37.1` ``, `none`, `the platform's`. */
  default: string;
  meaning: string;
  /** Whether the program has read its value yet. */
  read: boolean;
}

/**
 * A MinosError Pulumi prints as its message alone: its runtime hides the
 * stack of an error it knows, by this flag, as a `RunError`.
 */
export class ConfigError extends MinosError {
  readonly __pulumiRunError = true;
}

let declared: { keys: Record<string, ConfigKey<unknown>>; read: Set<string> } | undefined;

/**
 * Reads an example's Pulumi config through the keys it declares, in one
 * place: `exampleConfig({ kubernetesVersion: configKey.string(...), ... })`.
 * Before anything exists, a key set in the stack's config under the
 * project's namespace that is not declared is refused with a did-you-mean
 * (`--config kubernetesVersoin=1.30.0` would otherwise plan the default),
 * and a value of the wrong type is refused naming the key. Keys of other
 * namespaces (`aws:region`) are the providers' and pass; one the program
 * reads itself is declared by its full name (`gcp:region`).
 *
 * One declaration per program; `declaredConfig()` lists it.
 */
export function exampleConfig<K extends Record<string, ConfigKey<unknown>>>(
  keys: K,
): ConfigValues<K> {
  const project = pulumi.getProject();
  refuseUndeclared(project, keys);
  const read = new Set<string>();
  declared = { keys, read };
  const values = {} as Record<string, unknown>;
  for (const [name, key] of Object.entries(keys)) {
    const value = readKey(name, key);
    // A getter, so tests can tell a declared key the program never reads.
    Object.defineProperty(values, name, {
      enumerable: true,
      get: () => {
        read.add(name);
        return value;
      },
    });
  }
  return values as ConfigValues<K>;
}

/** The keys the program's `exampleConfig` declared, for its README and tests. */
export function declaredConfig(): DeclaredKey[] {
  if (!declared) return [];
  const { keys, read } = declared;
  return Object.entries(keys).map(([name, key]) => ({
    name,
    type: key.type,
    default: readmeDefault(key),
    meaning: key.meaning,
    read: read.has(name),
  }));
}

/** Refuses the first key of the project's namespace the program does not declare. */
function refuseUndeclared(project: string, keys: Record<string, ConfigKey<unknown>>): void {
  const own = Object.keys(keys).filter((name) => !name.includes(":"));
  const prefix = `${project}:`;
  for (const full of Object.keys(pulumi.runtime.allConfig()).sort()) {
    if (!full.startsWith(prefix)) continue;
    const name = full.slice(prefix.length);
    if (own.includes(name)) continue;
    const hint = closest(name, own);
    // The key, not its value: a mistyped key may hold a secret.
    throw new ConfigError(
      "config key",
      name,
      `${project} reads no such key${hint ? ` (did you mean ${hint}?)` : ""}; it reads ${own.sort().join(", ")}; remove it with pulumi config rm ${name}`,
    );
  }
}

/** A declared key's value from the stack's config, checked against its type. */
function readKey(name: string, key: ConfigKey<unknown>): unknown {
  const at = name.indexOf(":");
  const config = at < 0 ? new pulumi.Config() : new pulumi.Config(name.slice(0, at));
  const bare = name.slice(at + 1);
  // Pulumi's own error for a required key names the command that sets it.
  const raw = key.required ? config.require(bare) : config.get(bare);
  if (raw === undefined) return key.default;
  const refuse = (allowed: string) => new ConfigError(`config ${name}`, raw, allowed);
  switch (key.type) {
    case "string":
      if (key.oneOf && !key.oneOf.includes(raw)) throw refuse(`use ${key.oneOf.join(", ")}`);
      return raw;
    case "integer":
      if (!/^-?\d+$/.test(raw.trim())) throw refuse("use a whole number");
      return Number(raw);
    case "list": {
      const list = json(raw);
      if (!Array.isArray(list) || list.some((item) => typeof item !== "string"))
        throw refuse(`use a list of strings: pulumi config set --path '${name}[0]' <value>`);
      return list;
    }
    case "object": {
      const object = json(raw);
      if (typeof object !== "object" || object === null || Array.isArray(object))
        throw refuse(`use an object: pulumi config set --path '${name}.<field>' <value>`);
      return object;
    }
  }
}

function json(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
