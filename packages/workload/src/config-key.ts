/** What a config key's value is, as `pulumi config set` gives it. */
export type ConfigType = "string" | "integer" | "list" | "object";

/**
 * One config key an example reads: its type, its default and what it means,
 * so the program, its errors and its README's table come from one place.
 * `T` is what the program gets: `undefined` where the key has no default.
 */
export interface ConfigKey<T> {
  readonly type: ConfigType;
  /** One line, as the README's table says it. */
  readonly meaning: string;
  /** The value when the stack sets none. */
  readonly default?: T;
  /** Refused when unset (Pulumi's own "missing required configuration" error). */
  readonly required?: boolean;
  /** A string key's only values. */
  readonly oneOf?: readonly string[];
  /** What an unset key without a default means, for the README (default `none`). */
  readonly unset?: string;
}

interface Unset {
  /** What leaving it unset means, for the README: `the platform's`. Default `none`. */
  readonly unset?: string;
}

function stringKey(meaning: string, options: { default: string }): ConfigKey<string>;
function stringKey(meaning: string, options: { required: true }): ConfigKey<string>;
function stringKey(meaning: string, options?: Unset): ConfigKey<string | undefined>;
function stringKey(meaning: string, options: object = {}): ConfigKey<string | undefined> {
  return { type: "string", meaning, ...options };
}

function oneOfKey<V extends string>(
  values: readonly V[],
  meaning: string,
  options: { default: V },
): ConfigKey<V>;
function oneOfKey<V extends string>(
  values: readonly V[],
  meaning: string,
  options?: Unset,
): ConfigKey<V | undefined>;
function oneOfKey(
  values: readonly string[],
  meaning: string,
  options: object = {},
): ConfigKey<string | undefined> {
  return { type: "string", meaning, oneOf: values, ...options };
}

function integerKey(meaning: string, options: { default: number }): ConfigKey<number>;
function integerKey(meaning: string, options?: Unset): ConfigKey<number | undefined>;
function integerKey(meaning: string, options: object = {}): ConfigKey<number | undefined> {
  return { type: "integer", meaning, ...options };
}

function listKey(meaning: string, options: { default: string[] }): ConfigKey<string[]>;
function listKey(meaning: string, options?: Unset): ConfigKey<string[] | undefined>;
function listKey(meaning: string, options: object = {}): ConfigKey<string[] | undefined> {
  return { type: "list", meaning, ...options };
}

function objectKey<T extends object>(meaning: string, options: { default: T }): ConfigKey<T>;
function objectKey<T extends object>(meaning: string, options?: Unset): ConfigKey<T | undefined>;
function objectKey(meaning: string, options: object = {}): ConfigKey<object | undefined> {
  return { type: "object", meaning, ...options };
}

/**
 * Declares one config key of an example, for `exampleConfig`:
 * `configKey.string("Kubernetes release", { default: "1.37.1" })`. A key
 * without a default reads as `undefined` when unset.
 */
export const configKey = {
  /** Any string. `{ required: true }` for one the program cannot do without. */
  string: stringKey,
  /** One of a few strings. */
  oneOf: oneOfKey,
  /** A whole number: `pulumi config set controlPlaneCount 3`. */
  integer: integerKey,
  /** A list of strings: `pulumi config set --path 'apiAllowedCidrs[0]' 203.0.113.0/24`. */
  list: listKey,
  /** A JSON object: `pulumi config set --path 'sysextHashes["<file>"]' sha256-<hex>`. */
  object: objectKey,
};

/**
 * A key's default as an example's README shows it: the value in backticks,
 * or what unset means (`none` unless the key says, also for an empty list or
 * object).
 */
export function readmeDefault(key: ConfigKey<unknown>): string {
  const value = key.default;
  if (key.required) return "required";
  const empty = typeof value === "object" && value !== null && Object.keys(value).length === 0;
  if (value === undefined || empty) return key.unset ?? "none";
  return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}
