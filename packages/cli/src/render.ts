import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { dirname } from "node:path";
import type { NodeRole, PayloadLimit, Platform, PlatformDescription } from "@minos/core/render";
import {
  bootstrapContext,
  MinosError,
  NODE_ROLES,
  renderNode,
  resolveClusterArgs,
} from "@minos/core/render";
import { CliError, parseCommand, required, UsageError } from "./cli-error.js";
import type { SecretsFile } from "./local-secrets.js";
import { generateSecrets, parseSecrets } from "./local-secrets.js";
import type { RenderableOs } from "./operating-systems.js";
import { defaultKubernetesVersions, OPERATING_SYSTEMS } from "./operating-systems.js";
import { optionalPeer } from "./optional-peer.js";

export const RENDER_HELP = `Usage: minos render <os> --role <role> --platform <platform> [options]

Prints exactly the first-boot payload a node receives (for flatcar and
fcos: its Ignition JSON; for talos: its machine config; for bottlerocket,
workers on aws only: its settings TOML). Its size goes to stderr.

Arguments:
  <os>                        ${Object.keys(OPERATING_SYSTEMS).join(", ")}

Options:
  --role <role>               ${NODE_ROLES.join(" | ")}
  --platform <platform>       aws | gcp | kvm
  --kubernetes-version <v>    Kubernetes release (default: the OS's: ${defaultKubernetesVersions()})
  --arch <arch>               amd64 | arm64 (default amd64)
  --cluster-name <name>       cluster name (default minos)
  --endpoint <host>           API endpoint host name or address (default api.minos.internal)
  --secrets <file>            cluster secrets as JSON; made (mode 0600) if the file is
                              missing, so the same file renders byte-identical output.
                              Without it, throwaway secrets are made for this run.
  --out <file>                write the payload to a file instead of stdout
  --files <dir>               flatcar, fcos: write the files, directories, links and
                              systemd units the Ignition config lays down under <dir>
                              (decoded), with a README of what is enabled and masked;
                              talos, bottlerocket: write the one document there.
                              The payload is then not printed.
  -h, --help                  show this help
`;

/**
 * The platforms `minos render` knows: each one's description (name, payload
 * limits) from its package's light entry, which loads no SDK. The packages
 * are optional peers of @minos/cli, so a project installs only its own.
 */
const PLATFORMS: Record<string, () => Promise<PlatformDescription>> = {
  aws: () =>
    optionalPeer("@minos/aws", () => import("@minos/aws/description"), "--platform aws").then(
      (m) => m.awsDescription,
    ),
  gcp: () =>
    optionalPeer("@minos/gcp", () => import("@minos/gcp/description"), "--platform gcp").then(
      (m) => m.gcpDescription,
    ),
  kvm: () =>
    optionalPeer("@minos/kvm", () => import("@minos/kvm/description"), "--platform kvm").then(
      (m) => m.kvmDescription,
    ),
};

export interface RenderResult {
  payload: string;
  /** Its size in bytes. */
  bytes: number;
  /** The platform's limit for the OS's delivery there, where it has one. */
  limit?: PayloadLimit;
  /** The platform stores the payload and hands the node the OS's pointer to it. */
  pointer: boolean;
  /** One line about the payload's size, for stderr. */
  summary: string;
  out?: string;
  /** Where to write the files the payload lays down (`--files`). */
  files?: string;
  /** The OS, as named on the command line. */
  os: string;
}

const OPTIONS = {
  role: { type: "string" },
  platform: { type: "string" },
  "kubernetes-version": { type: "string" },
  arch: { type: "string" },
  "cluster-name": { type: "string" },
  endpoint: { type: "string" },
  secrets: { type: "string" },
  out: { type: "string" },
  files: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The cluster argument each option sets, so an error names the option the user typed. */
const OPTION_OF: Record<string, string> = {
  name: "--cluster-name",
  kubernetesVersion: "--kubernetes-version",
  arch: "--arch",
  platform: "--platform",
  role: "--role",
};

/** Parses `minos render` arguments and renders one payload. */
export async function render(argv: string[]): Promise<RenderResult | "help"> {
  try {
    return await renderArgs(argv);
  } catch (e) {
    const option = e instanceof MinosError ? OPTION_OF[e.argument] : undefined;
    throw option ? new MinosError(option, (e as MinosError).value, (e as MinosError).allowed) : e;
  }
}

/** A host name (RFC 1123) of at most 253 characters. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/;

/**
 * A name URL parsers read as an IPv4 address, and refuse when it is none:
 * one whose last label is a number, decimal or hex (WHATWG URL's "ends in a
 * number").
 */
const ENDS_IN_A_NUMBER = /(^|\.)(\d+|0x[\da-f]*)\.?$/i;

/** The API endpoint's host: a host name or an IP address, which kubeconfigs and kubeadm join. */
export function validateEndpointHost(argument: string, value: unknown): string {
  if (
    typeof value === "string" &&
    (isIP(value) !== 0 || (HOST_NAME.test(value) && !ENDS_IN_A_NUMBER.test(value)))
  )
    return value;
  throw new MinosError(
    argument,
    value,
    "use a host name or an IP address, without scheme or port (the API listens on 6443)",
  );
}

async function renderArgs(argv: string[]): Promise<RenderResult | "help"> {
  const { values, positionals } = parseCommand(argv, OPTIONS);
  if (values.help) return "help";
  if (positionals.length === 0)
    throw new UsageError("render", `name an <os>: ${Object.keys(OPERATING_SYSTEMS).join(", ")}`);
  const osName = positionals[0];
  const known = osName === undefined ? undefined : OPERATING_SYSTEMS[osName];
  if (!known || osName === undefined || positionals.length !== 1) {
    throw new MinosError(
      "<os>",
      positionals.join(" ") || undefined,
      `name one of ${Object.keys(OPERATING_SYSTEMS).join(", ")}`,
    );
  }
  const roles = `use ${NODE_ROLES.join(", ")}`;
  const role = required("--role", values.role, roles) as NodeRole;
  if (!NODE_ROLES.includes(role)) throw new MinosError("--role", values.role, roles);
  const platforms = `use ${Object.keys(PLATFORMS).join(", ")}`;
  const describe = PLATFORMS[required("--platform", values.platform, platforms)];
  if (!describe) throw new MinosError("--platform", values.platform, platforms);
  for (const option of ["secrets", "out", "files"] as const) {
    const file = values[option];
    if (file !== undefined && !existsSync(dirname(file)))
      throw new CliError(`--${option} ${file}: its folder ${dirname(file)} does not exist`);
  }
  const platform = await describe();
  const platformName = platform.name;
  const kubernetesVersion = values["kubernetes-version"];
  await known.load?.();
  const os = known.make(kubernetesVersion);
  if (!os.platforms.includes(platformName))
    throw new MinosError(
      "--platform",
      platformName,
      `${osName} runs on ${os.platforms.join(", ")}`,
    );
  const cluster = resolveClusterArgs(values["cluster-name"] ?? "minos", os, {
    platform: renderOnlyPlatform(platform),
    ...(kubernetesVersion !== undefined && { kubernetesVersion }),
    ...(values.arch !== undefined && { arch: values.arch as "amd64" }),
  });
  const host = validateEndpointHost("--endpoint", values.endpoint ?? "api.minos.internal");
  const { material, osSecrets } = values.secrets
    ? await secretsFile(values.secrets, osName, known)
    : { material: await generateSecrets(), osSecrets: await known.secrets?.() };
  const group =
    role === "worker"
      ? {
          ...cluster.controlPlane,
          settings: { ...cluster.controlPlane.settings, pool: "default", taints: [] },
        }
      : cluster.controlPlane;
  const ctx = bootstrapContext(
    cluster,
    platformName,
    role,
    group,
    { host, port: 6443 },
    [],
    material,
    osSecrets,
  );
  const delivery = os.delivery(platformName, role);
  const { payload, bytes, limit } = renderNode(os, platform, delivery, role, ctx);
  const pointer = "pointer" in delivery && delivery.pointer !== undefined;
  const fits = limit
    ? ` (${limit.what} ${limit.bytes}: ${bytes <= limit.bytes ? "fits" : "TOO BIG"})`
    : pointer
      ? " (kept in the platform's storage; the node gets a pointer)"
      : delivery.kind === "machine-api"
        ? " (handed over the OS's API; the platform stores none)"
        : "";
  return {
    payload,
    bytes,
    ...(limit && { limit }),
    pointer,
    summary: `minos: ${osName} ${role} payload for ${platformName}: ${bytes} bytes${fits}`,
    ...(values.out !== undefined && { out: values.out }),
    ...(values.files !== undefined && { files: values.files }),
    os: osName,
  };
}

/**
 * Reads a secrets file, or makes it (0600). An OS's own secrets live under
 * `os.<name>` and are added the first time that OS is rendered with the file.
 */
async function secretsFile(file: string, osName: string, known: RenderableOs) {
  const stored: SecretsFile = existsSync(file)
    ? parseSecrets(file, readFileSync(file, "utf8"))
    : await generateSecrets();
  const own = stored.os ?? {};
  let changed = !existsSync(file);
  if (known.secrets && own[osName] === undefined) {
    own[osName] = await known.secrets();
    changed = true;
  }
  const all = { ...stored, ...(Object.keys(own).length > 0 && { os: own }) };
  if (changed) writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  return { material: all, osSecrets: own[osName] };
}

/** `resolveClusterArgs` wants a platform; rendering needs only its description. */
function renderOnlyPlatform(description: PlatformDescription): Platform {
  const refuse = (): never => {
    throw new Error("minos render makes no resources");
  };
  return { ...description, site: refuse, joinSite: refuse };
}
