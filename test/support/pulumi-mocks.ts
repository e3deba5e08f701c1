import { createHash } from "node:crypto";
import { invokeResult, resourceOutputs } from "@minos/cli";
import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered under mocks. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

type Outputs = Record<string, unknown>;
const customOutputs = new Map<string, (inputs: Outputs, name: string) => Outputs>();

/**
 * What a resource type (typically a dynamic resource, whose provider never
 * runs under mocks) reports as outputs, computed from its inputs (and name).
 */
export function mockOutputs(
  type: string,
  outputs: (inputs: Outputs, name: string) => Outputs,
): void {
  customOutputs.set(type, outputs);
}

/** Outputs of one resource; a promise so tests can await registration. */
function outputsFor(type: string, name: string, inputs: Outputs): Outputs {
  const custom = customOutputs.get(type);
  if (custom) return { ...inputs, ...custom(inputs, name) };
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
 * constructing any component; a new call starts another stack (its own
 * project and stack names, as `pulumi -s` would).
 */
export function installMocks(
  stack: { project?: string; stack?: string } = {},
): RegisteredResource[] {
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
    stack.project ?? "minos-test",
    stack.stack ?? "test",
    false,
  );
  return registered;
}

/** One resource as the engine records it: what it is, and what it depends on. */
export interface GraphNode {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** The parent's URN, or "". */
  parent: string;
  /** URNs of `dependsOn` and of every resource an input came from, as the SDK sends them. */
  dependencies: string[];
  /** The provider's URN, or "" for a default provider. */
  provider: string;
  deletedWith: string;
  /** Input properties whose changes the engine ignores for an existing resource. */
  ignoreChanges: string[];
}

/** What the engine would receive from the program under the current mocks. */
export interface EngineRecording {
  /** Every registration, in order. */
  graph: GraphNode[];
  /** Each component's registered outputs by URN, serialized as the engine receives them. */
  outputs: Map<string, Record<string, unknown>>;
}

/** The mock monitor's calls this records, in the shape of Pulumi's gRPC messages. */
interface MonitorCalls {
  registerResource(req: RegisterRequest, callback: Callback<{ getUrn(): string }>): void;
  registerResourceOutputs(req: OutputsRequest, callback: Callback<unknown>): void;
}
type Callback<T> = (err: unknown, resp: T | undefined) => void;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getProvider(): string;
  getDeletedwith(): string;
  getIgnorechangesList(): string[];
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/**
 * Records, beside the mocks installed last, what the real engine would be
 * told: each resource's URN, parent, provider and dependencies (from the
 * SDK's own RegisterResource request), and each component's outputs. Call
 * right after `installMocks`.
 */
export function recordEngine(): EngineRecording {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorCalls;
  const recording: EngineRecording = { graph: [], outputs: new Map() };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (resp) {
        recording.graph.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent(),
          dependencies: req.getDependenciesList(),
          // A provider reference is `<urn>::<id>`.
          provider: req.getProvider().replace(/::[^:]*$/, ""),
          deletedWith: req.getDeletedwith(),
          ignoreChanges: req.getIgnorechangesList(),
        });
      }
      callback(err, resp);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    recording.outputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
    registerOutputs(req, callback);
  };
  return recording;
}

/**
 * The stack hash a cluster's unique names should end in under `installMocks()`
 * (project `minos-test`, stack `test`), worked out here on its own.
 */
export function mockStackHash(cluster: string, project = "minos-test", stack = "test"): string {
  return createHash("sha256").update(`${project}/${stack}/${cluster}`).digest("hex").slice(0, 8);
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
