import type { Platform } from "@minos/core";
import { aws } from "@minos/core/aws";
import { gcp } from "@minos/core/gcp";
import { kvm } from "@minos/core/kvm";
import { FcosCluster } from "@minos/fcos";
import * as pulumi from "@pulumi/pulumi";
import { nginx } from "minos-example-workload";

const config = new pulumi.Config();

/** The same cluster on this machine's libvirt (default), AWS or GCP: one config key apart. */
function platform(name: string): Platform {
  switch (name) {
    case "kvm":
      return kvm({
        uri: config.get("uri") ?? "qemu:///system",
        pool: config.get("pool") ?? "default",
        cidr: config.get("cidr") ?? "10.78.0.0/24",
      });
    case "aws":
      // The API is open to the internet unless you narrow it: set apiAllowedCidrs.
      return aws({
        apiAllowedCidrs: config.getObject<string[]>("apiAllowedCidrs") ?? ["0.0.0.0/0"],
      });
    case "gcp":
      return gcp({
        region: new pulumi.Config("gcp").require("region"),
        apiAllowedCidrs: config.getObject<string[]>("apiAllowedCidrs") ?? ["0.0.0.0/0"],
      });
    default:
      throw new Error(
        `minos example: platform must be kvm, aws or gcp, not ${JSON.stringify(name)}`,
      );
  }
}

const sysextImage = config.getObject<{ url: string; sha256: string }>("sysextImage");
// Each platform has its own default size; set machineType to override it.
const machineType = config.get("machineType");
const size = machineType ? { machineType } : {};

// One control-plane node and one worker. The image comes from the stream's
// metadata, read once and kept in the stack's state; Kubernetes and CRI-O from
// the community sysext, fetched on first boot unless pinned.
const cluster = new FcosCluster("fcos", {
  platform: platform(config.get("platform") ?? "kvm"),
  kubernetesVersion: config.get("kubernetesVersion") ?? "1.35.2",
  stream: "stable",
  controlPlane: { count: 1, ...size },
  nodePools: { general: { count: 1, ...size } },
  ...(sysextImage && { sysext: { image: sysextImage } }),
  // Optional: your key, to `ssh core@<node>`.
  sshAuthorizedKeys: config.getObject<string[]>("sshAuthorizedKeys") ?? [],
  tags: { "minos-example": "kvm-fcos" },
});

const { service } = nginx("nginx", cluster.provider, cluster.addons);

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const nginxService = service.metadata.name;
