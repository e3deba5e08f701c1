import { invokeResult, resourceOutputs } from "@minos/cli";
import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered under mocks. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

type Outputs = Record<string, unknown>;
const customOutputs = new Map<string, (inputs: Outputs) => Outputs>();

/**
 * What a resource type (typically a dynamic resource, whose provider never
 * runs under mocks) reports as outputs, computed from its inputs.
 */
export function mockOutputs(type: string, outputs: (inputs: Outputs) => Outputs): void {
  customOutputs.set(type, outputs);
}

/** Outputs of one resource; a promise so tests can await registration. */
function outputsFor(type: string, name: string, inputs: Outputs): Outputs {
  const custom = customOutputs.get(type);
  if (custom) return { ...inputs, ...custom(inputs) };
  return resourceOutputs(type, name, inputs);
}

/** Every invoke the program made under mocks, in order. */
export const invoked: { token: string; inputs: Record<string, unknown> }[] = [];

const held: { types: Set<string>; waiting: (() => void)[] } = { types: new Set(), waiting: [] };

/** Keeps resources of these types pending until `releaseHeld()`, to prove what does not wait for them. */
export function holdResources(...types: string[]): void {
  for (const t of types) held.types.add(t);
}

/** Lets held resources finish registering. */
export function releaseHeld(): void {
  held.types.clear();
  for (const go of held.waiting.splice(0)) go();
}

/**
 * Installs Pulumi mocks that record every resource. Keys are real ECDSA keys;
 * certificates are placeholders (nothing in minos parses them). Call before
 * constructing any component.
 */
export function installMocks(): RegisteredResource[] {
  const registered: RegisteredResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        if (held.types.has(args.type)) await new Promise<void>((go) => held.waiting.push(go));
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: outputsFor(args.type, args.name, args.inputs) };
      },
      call: (args) => {
        invoked.push({ token: args.token, inputs: args.inputs });
        return invokeResult(args.token, args.inputs);
      },
    },
    "minos-test",
    "test",
    false,
  );
  return registered;
}

/** Resolves an Output's value. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Pulumi's marker for a secret value in serialized resource inputs. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Whether a registered input arrived as a secret. */
export function isSecretInput(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270"
  );
}

/** A registered input with secret envelopes removed, to read what it holds. */
export function plain<T = unknown>(value: unknown): T {
  if (isSecretInput(value)) return plain((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(plain) as T;
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as T;
  return value as T;
}
