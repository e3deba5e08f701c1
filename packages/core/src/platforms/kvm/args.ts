/** Where and how minos makes machines on a libvirt host. */
export interface KvmPlatformArgs {
  /** libvirt connection. Default `qemu:///system`. */
  uri?: string;
  /** Storage pool for images, disks and first-boot payloads. Default `default`. */
  pool?: string;
  /**
   * The cluster's NAT network, /16 to /26. Nodes get fixed addresses from
   * it: control plane from `.10`, workers from `.20`. Default `10.77.0.0/24`;
   * give each cluster on one host its own.
   */
  cidr?: string;
  /** Firmware: `bios`, or `uefi` (needs OVMF on the host). Default `bios`. */
  firmware?: "bios" | "uefi";
  /** Machine size when a group names none, as `<vCPUs>cpu-<GiB>gb`. Default `2cpu-4gb` (kubeadm needs 2 vCPUs). */
  defaultMachineType?: string;
}
