import { awsDescription } from "@minos/aws/description";
import { generateSecrets } from "@minos/cli";
import type {
  ClusterSecretMaterial,
  MinosPlatform,
  NodeConfig,
  NodeOs,
  NodeRole,
  OsUpdatesArgs,
  PlatformDescription,
} from "@minos/core";
import { bootstrapContext, resolveClusterArgs } from "@minos/core";
import { gcpDescription } from "@minos/gcp/description";
import { kvmDescription } from "@minos/kvm/description";

/** Each platform as `minos render` knows it: its name, limits and what it offers clusters. */
const DESCRIPTIONS: Record<MinosPlatform, PlatformDescription> = {
  aws: awsDescription,
  gcp: gcpDescription,
  kvm: kvmDescription,
};

let cached: Promise<ClusterSecretMaterial> | undefined;
/** One set of real throwaway secrets per test file. */
export function testSecrets(): Promise<ClusterSecretMaterial> {
  if (!cached) cached = generateSecrets();
  return cached;
}

export interface RenderOptions {
  kubernetesVersion?: string;
  osUpdates?: OsUpdatesArgs;
  sshAuthorizedKeys?: string[];
  /** What the OS's own `secrets()` would have made. */
  osSecrets?: unknown;
  /** The endpoint is a virtual address the control plane holds (`10.77.0.5`), as on KVM with 3 nodes. */
  virtualIp?: boolean;
  /** `platformServices`, as a cluster takes it. Default: all the platform offers. */
  platformServices?: { controller?: boolean; volumes?: boolean; loadBalancers?: boolean };
}

/** Renders one role of an OS the way Cluster does, without Pulumi; returns the payload. */
export function renderRole(
  os: NodeOs,
  role: NodeRole,
  platform: MinosPlatform,
  material: ClusterSecretMaterial,
  opts: RenderOptions = {},
): string {
  return renderNode(os, role, platform, material, opts).payload;
}

/** Renders one role of an OS the way Cluster does, without Pulumi. */
export function renderNode(
  os: NodeOs,
  role: NodeRole,
  platform: MinosPlatform,
  material: ClusterSecretMaterial,
  opts: RenderOptions = {},
): NodeConfig {
  const cluster = resolveClusterArgs("dev", os, {
    platform: DESCRIPTIONS[platform] as never,
    kubernetesVersion: opts.kubernetesVersion ?? "1.36.5",
    controlPlane: { count: 3 },
    nodePools: {
      general: {
        count: 2,
        labels: { "example.com/pool": "general" },
        taints: [{ key: "dedicated", value: "general", effect: "NoSchedule" }],
      },
    },
    ...(opts.sshAuthorizedKeys && { sshAuthorizedKeys: opts.sshAuthorizedKeys }),
    ...(opts.osUpdates && { osUpdates: opts.osUpdates }),
    ...(opts.platformServices && { platformServices: opts.platformServices }),
  });
  const group = role === "worker" ? cluster.pools[0] : cluster.controlPlane;
  if (!group) throw new Error("no pool");
  const ctx = bootstrapContext(
    cluster,
    platform,
    role,
    group,
    opts.virtualIp
      ? { host: "10.77.0.5", port: 6443, virtualIp: true }
      : { host: "api.dev.test", port: 6443 },
    ["203.0.113.10"],
    material,
    opts.osSecrets,
  );
  return os.render(role, ctx);
}
