import type { PlatformDescription } from "@minos/core";

/**
 * Local KVM without any resource: what `minos render` asks. fw_cfg entries
 * and cidata ISOs take any payload a node would boot with.
 */
export const kvmDescription: PlatformDescription = { name: "kvm" };
