import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import { nginx } from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();

// `pulumi config set controlPlaneCount 3` (or 5) for a highly available control
// plane: the endpoint is then a virtual address (.5 of the cidr) that kube-vip
// moves to a surviving node.
const controlPlaneCount = config.getNumber("controlPlaneCount") ?? 1;

// One control-plane node and one worker on this machine's libvirt, on their own
// NAT network. The endpoint is the control-plane node's fixed address.
const cluster = new FlatcarCluster("lab", {
  platform: kvm({
    uri: config.get("uri") ?? "qemu:///system",
    pool: config.get("pool") ?? "default",
    cidr: config.get("cidr") ?? "10.77.0.0/24",
  }),
  kubernetesVersion: config.get("kubernetesVersion") ?? "1.37.1",
  channel: "stable",
  controlPlane: { count: controlPlaneCount, machineType: "2cpu-4gb" },
  nodePools: { general: { count: 1, machineType: "2cpu-4gb" } },
  sysext: { hashes: config.getObject<Record<string, string>>("sysextHashes") ?? {} },
  // Optional: your key, to `ssh core@10.77.0.10`.
  sshAuthorizedKeys: config.getObject<string[]>("sshAuthorizedKeys") ?? [],
});

const { service } = nginx("nginx", cluster.provider, cluster.addons);

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const nginxService = service.metadata.name;
