import type { AfterControlPlaneContext, ImageScope, NodeOs, RenderedGroup } from "@minos/core";
import { hostPort, platformOf } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { EtcdBootstrap } from "./etcd-bootstrap.js";
import { installerImage, talosImage } from "./images.js";
import { APID_PORT } from "./machine-api.js";
import type { TalosRenderer } from "./node-renderer.js";
import { NAME, PLATFORMS, rendererOf } from "./node-renderer.js";
import type { TalosOptions } from "./options.js";
import { resolveTalosOptions } from "./options.js";
import type { TalosSecretMaterial } from "./secrets.js";
import { TalosSecrets } from "./secrets.js";
import { TalosConfigApply } from "./talos-config-apply.js";
import { TalosConfigHandover } from "./talos-config-handover.js";
import { TalosUpgrade } from "./talos-upgrade.js";

export type { TalosConfigPatches, TalosOptions } from "./options.js";

/**
 * The group Talos's own bootstrap token Secret carries, and which its
 * control plane lets post node CSRs and have node client CSRs approved.
 */
export const TALOS_NODE_TOKEN_GROUP = "system:bootstrappers:nodes";

/** Talos as minos sees it, and the release it runs. */
export interface TalosNodeOs extends NodeOs, TalosRenderer {}

/**
 * What Cilium needs on Talos (its guide "Deploying Cilium CNI"): Talos mounts
 * cgroup2 itself, and pods may not hold every capability the chart asks for.
 */
const TALOS_CILIUM_VALUES = {
  cgroup: { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" },
  securityContext: {
    capabilities: {
      ciliumAgent: [
        "CHOWN",
        "KILL",
        "NET_ADMIN",
        "NET_RAW",
        "IPC_LOCK",
        "SYS_ADMIN",
        "SYS_RESOURCE",
        "DAC_OVERRIDE",
        "FOWNER",
        "SETGID",
        "SETUID",
      ],
      cleanCiliumState: ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"],
    },
  },
};

/**
 * Talos Linux as a minos NodeOs: its renderer (a v1alpha1 machine config per
 * role and pool), its own secrets, the etcd bootstrap call once the first
 * control-plane node exists, and Flannel deployed by Talos itself. Validates
 * its options when made, so bad input fails before any resource exists.
 */
export function talosOs(options: TalosOptions = {}): TalosNodeOs {
  const settings = resolveTalosOptions(options);
  const { talosVersion, timeoutSeconds, images, controlPlaneDelivery } = settings;
  return {
    ...rendererOf(settings),
    // Talos's own Layer 2 VIP, in its control-plane machine config.
    holdsVirtualIp: true,
    troubleshooting:
      "`talosctl -n <node address> dmesg` and `talosctl -n <node address> logs kubelet` (with the cluster's talosconfig)",
    controlPlanePorts: [APID_PORT],
    // Its own step moves the control plane, in the same pulumi up.
    controlPlaneUpgrade: (to) =>
      `The cluster's TalosConfigApply hands each control-plane node the config for ${to.text}, one node at a time, in this pulumi up: if it failed, its error says which node and why`,
    ciliumValues: TALOS_CILIUM_VALUES,
    // A worker's kubelet bootstraps with `cluster.token`; nothing does kubeadm's discovery.
    workerToken: "tls-bootstrap",
    // What Talos's control plane binds node bootstrapping to (its csr-node-bootstrap and csr-approver bindings).
    bootstrapTokenGroup: TALOS_NODE_TOKEN_GROUP,
    image: (platform, arch) => talosImage(platformOf(NAME, PLATFORMS, platform), arch, images),
    secrets(scope: ImageScope) {
      return new TalosSecrets(`${scope.name}-talos`, { parent: scope.parent }).material;
    },
    afterControlPlane(ctx: AfterControlPlaneContext) {
      const talos = ctx.osSecrets as pulumi.Output<TalosSecretMaterial>;
      // apid on the first control-plane node: directly on KVM, through the
      // endpoint's load balancer (which forwards 50000) in the clouds.
      const host = ctx.platform === "kvm" ? ctx.firstControlPlaneIp : ctx.endpointHost;
      const credentials = {
        address: host.apply((h) => hostPort(h, APID_PORT)),
        caPem: talos.osCa.certPem,
        clientCertPem: talos.admin.certPem,
        clientKeyPem: talos.admin.keyPem,
        timeoutSeconds,
      };
      const machinesUp = [...ctx.controlPlane, ...ctx.apiPath];
      // Control-plane machines made without a config wait in maintenance mode for it.
      const handover =
        controlPlaneDelivery === "machine-api"
          ? new TalosConfigHandover(
              `${ctx.scope.name}-talos-handover`,
              {
                address: credentials.address,
                ...controlPlaneConfig(ctx.groups.filter((g) => g.role !== "worker")),
                timeoutSeconds,
              },
              { parent: ctx.scope.parent, dependsOn: machinesUp },
            )
          : undefined;
      const bootstrap = new EtcdBootstrap(
        `${ctx.scope.name}-etcd-bootstrap`,
        { ...credentials, clusterId: talos.clusterId },
        { parent: ctx.scope.parent, dependsOn: handover ? [...machinesUp, handover] : machinesUp },
      );
      // Talos never updates itself: a new talosVersion reaches running nodes
      // through this, one node at a time (machines keep their boot image).
      const upgrade =
        ctx.osUpdates.mode === "off"
          ? undefined
          : new TalosUpgrade(
              `${ctx.scope.name}-talos-release`,
              {
                ...credentials,
                nodes: pulumi
                  .all([ctx.controlPlaneIps, ctx.workerIps])
                  .apply(([cp, workers]) => [...cp, ...workers]),
                controlPlaneNodes: ctx.controlPlaneIps,
                talosVersion,
                image: installerImage(ctx.platform, images),
              },
              { parent: ctx.scope.parent, dependsOn: [bootstrap] },
            );
      // A changed config (patches, switches, a Kubernetes release) reaches
      // running nodes through this; after any upgrade, so that no two nodes
      // are ever down at once and new fields meet the release that reads them.
      const configs = new TalosConfigApply(
        `${ctx.scope.name}-talos-config`,
        {
          ...credentials,
          groups: pulumi.all(
            ctx.groups.map((g) => g.privateIps.apply((nodes) => ({ name: g.key, nodes }))),
          ),
          configs: pulumi.all(Object.fromEntries(ctx.groups.map((g) => [g.key, g.payload]))),
          kubernetesVersion: ctx.kubernetes.text,
        },
        { parent: ctx.scope.parent, dependsOn: upgrade ? [bootstrap, upgrade] : [bootstrap] },
      );
      return [...(handover ? [handover] : []), bootstrap, ...(upgrade ? [upgrade] : []), configs];
    },
  };
}

/**
 * The one config every control-plane node takes, and who the machines are.
 * Through a load balancer the node cannot be picked, so the first node's
 * and the joining nodes' configs must be the same (Talos renders them from
 * the same settings; this holds it to that).
 */
function controlPlaneConfig(groups: RenderedGroup[]) {
  const config = pulumi.all(groups.map((g) => g.payload)).apply(([first = "", ...rest]) => {
    if (rest.some((p) => p !== first))
      throw new Error(
        "minos: controlPlaneDelivery machine-api hands every control-plane node one config through the load balancer, but the control-plane groups' configs differ",
      );
    return first;
  });
  const machines = groups.flatMap((g) =>
    g.machines.filter(pulumi.CustomResource.isInstance).map((m) => m.id),
  );
  return { config: pulumi.secret(config), machines: pulumi.all(machines) };
}
