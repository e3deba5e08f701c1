import type { PlatformDescription } from "@minos/core";

/**
 * Local KVM without any resource: what `minos render` asks. fw_cfg entries
 * and cidata ISOs take any payload a node would boot with. Volumes live on
 * the nodes' own disks: no other storage is there.
 */
export const kvmDescription: PlatformDescription = {
  name: "kvm",
  localVolumes: true,
  // No cloud controller: nodes keep their own names and no provider ID.
  services: ["volumes", "loadBalancers"],
};
