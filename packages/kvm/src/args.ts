import type { UefiFirmware } from "@minos/libvirt";

/** Where and how minos makes machines on a libvirt host. */
export interface KvmPlatformArgs {
  /** libvirt connection. Default `qemu:///system`. */
  uri?: string;
  /** Storage pool for images, disks and first-boot payloads. Default `default`. */
  pool?: string;
  /**
   * The cluster's NAT network, /16 to /26. Nodes get fixed addresses from
   * it: control plane from `.10`, workers from `.20`. Default `10.77.0.0/24`;
   * give each cluster on one host its own: a second cluster of the program
   * on the same host whose network overlaps, or whose pod or service network
   * covers, another's is refused.
   */
  cidr?: string;
  /**
   * Firmware of amd64 nodes: `bios`, or `uefi` (needs OVMF on the host).
   * Default `bios`. arm64 nodes always boot UEFI: aarch64 has no BIOS.
   */
  firmware?: "bios" | "uefi";
  /**
   * UEFI firmware files on the libvirt host, by node architecture: `code`
   * is mapped read-only as pflash, `varsTemplate` is copied into each
   * domain's own NVRAM. Absolute paths. Defaults: arm64
   * `/usr/share/AAVMF/AAVMF_CODE.fd` and `/usr/share/AAVMF/AAVMF_VARS.fd`
   * (Debian's and Ubuntu's `qemu-efi-aarch64`, Fedora's `edk2-aarch64`);
   * amd64 none, so libvirt picks OVMF from the host's firmware descriptors.
   */
  uefiFirmware?: { amd64?: UefiFirmware; arm64?: UefiFirmware };
  /** Machine size when a group names none, as `<vCPUs>cpu-<GiB>gb`. Default `2cpu-4gb` (kubeadm needs 2 vCPUs). */
  defaultMachineType?: string;
  /**
   * The addresses of `cidr` that Services of type `LoadBalancer` get
   * (`platformServices.loadBalancers`, MetalLB in layer 2 mode), kept from
   * DHCP and recorded in the libvirt network: a count, which takes that many
   * addresses just below the DHCP range (`.120` to `.127` of a /24 for 8), or
   * a block `"first-last"` between the gateway and the DHCP range (the lower
   * half), without the API's virtual address (`.5`) or a control-plane node's
   * (from `.10`). Default 8.
   */
  loadBalancerAddresses?: number | string;
}
