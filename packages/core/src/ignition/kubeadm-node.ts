import type { BootstrapContext, NodeRole } from "../contracts/bootstrap.js";
import type { KubeadmOsDefaults } from "../kubeadm/config.js";
import { KUBEADM_CONFIG_PATH, renderKubeadmConfig } from "../kubeadm/config.js";
import { kubeVipFiles } from "../kubeadm/kube-vip.js";
import { pkiFiles } from "../kubeadm/pki.js";
import {
  PROVIDER_ID_SCRIPT,
  PROVIDER_ID_UNIT,
  providerIdScript,
  providerIdUnit,
  readsProviderId,
} from "../kubeadm/provider-id.js";
import type { RuntimeUnit } from "../kubeadm/unit.js";
import { kubeadmUnit } from "../kubeadm/unit.js";
import type { IgnitionSpec } from "./build.js";
import { buildIgnition, renderIgnition } from "./build.js";
import { podMetadataBlock } from "./pod-metadata-block.js";

/** What an Ignition-based OS contributes to a kubeadm node. */
export interface KubeadmIgnitionOs {
  /** CRI socket and kubelet/controller-manager flags the OS needs. */
  kubeadm: KubeadmOsDefaults;
  /** The container runtime kubeadm waits for (`containerd.service`, `crio.service`). */
  runtime: RuntimeUnit;
  /** The OS's login user, who gets the SSH keys (`core`). */
  loginUser: string;
  /** How kubeadm, kubelet and kubectl get onto the node (sysext images, ...). */
  kubernetes(
    ctx: BootstrapContext,
  ): Pick<IgnitionSpec, "files" | "links" | "units" | "directories">;
  /**
   * How the OS's update agent is set up for `ctx.osUpdates`: no reboot
   * without the cluster's coordinator, or no updates at all.
   */
  updates(ctx: BootstrapContext): Pick<IgnitionSpec, "files" | "units">;
  /** User Ignition configs merged last. */
  extraIgnition: readonly object[];
}

/**
 * The Ignition config of one kubeadm node: the kubeadm config (0600), the
 * shared CA material on control-plane roles only, with the external cloud
 * provider the oneshot that reads the node's provider ID for kubeadm, the OS's way of bringing
 * Kubernetes, its update agent's setup, a kubeadm oneshot, on GCE the rules
 * that keep pods from the metadata server, the login user's SSH keys, then
 * the user's own Ignition. Flatcar and Fedora CoreOS differ only in `os`.
 */
export function renderKubeadmIgnition(
  role: NodeRole,
  ctx: BootstrapContext,
  os: KubeadmIgnitionOs,
): string {
  if (role !== "worker" && !ctx.controlPlane) {
    throw new Error(`minos: a ${role} node needs the control-plane secrets; none were passed`);
  }
  const k8s = os.kubernetes(ctx);
  const updates = os.updates(ctx);
  const metadata = ctx.platform === "gcp" ? podMetadataBlock() : {};
  const vip = kubeVipFiles(role, ctx);
  const providerId = ctx.externalCloudProvider === true && readsProviderId(ctx.platform);
  const spec: IgnitionSpec = {
    files: [
      {
        path: KUBEADM_CONFIG_PATH,
        mode: 0o600,
        contents: renderKubeadmConfig(role, ctx, os.kubeadm),
      },
      ...pkiFiles(role === "worker" ? undefined : ctx.controlPlane),
      ...(providerId
        ? [{ path: PROVIDER_ID_SCRIPT, mode: 0o644, contents: providerIdScript(ctx.platform) }]
        : []),
      ...vip.files,
      ...(k8s.files ?? []),
      ...(updates.files ?? []),
      ...(metadata.files ?? []),
    ],
    ...(k8s.directories && { directories: k8s.directories }),
    ...(k8s.links && { links: k8s.links }),
    units: [
      {
        name: "kubeadm.service",
        enabled: true,
        contents: kubeadmUnit(role, os.runtime, vip.installAfterKubeadm),
      },
      ...(providerId
        ? [{ name: PROVIDER_ID_UNIT, enabled: true, contents: providerIdUnit() }]
        : []),
      ...(k8s.units ?? []),
      ...(updates.units ?? []),
      ...(metadata.units ?? []),
    ],
    ...(ctx.node.sshAuthorizedKeys.length > 0 && {
      users: [{ name: os.loginUser, sshAuthorizedKeys: ctx.node.sshAuthorizedKeys }],
    }),
  };
  return renderIgnition(buildIgnition(spec, os.extraIgnition));
}
