import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/** The API endpoint: a reserved regional address and a passthrough NLB on 6443. */
export interface GcpApiLoadBalancer {
  address: pulumi.Output<string>;
  /** One unmanaged instance group per control-plane node, in that node's zone. */
  groups: gcp.compute.InstanceGroup[];
}

/**
 * The address is reserved first, so it goes into the API certificate and the
 * kubeconfig before any instance exists. Backends are one instance group per
 * control-plane node (a group is zonal); the health check asks `/readyz`.
 */
export function gcpApiLoadBalancer(
  cluster: string,
  region: string,
  controlPlaneZones: pulumi.Output<string>[],
  network: pulumi.Input<string>,
  labels: Record<string, string>,
  parent: pulumi.Resource,
): GcpApiLoadBalancer {
  const opts = { parent };
  const address = new gcp.compute.Address(
    `${cluster}-api`,
    { region, addressType: "EXTERNAL", description: `minos: ${cluster} API`, labels },
    opts,
  );
  const groups = controlPlaneZones.map(
    (zone, i) =>
      new gcp.compute.InstanceGroup(
        `${cluster}-control-plane-${i}`,
        { zone, network, namedPorts: [{ name: "api", port: 6443 }] },
        opts,
      ),
  );
  const health = new gcp.compute.RegionHealthCheck(
    `${cluster}-api`,
    {
      region,
      httpsHealthCheck: { port: 6443, requestPath: "/readyz" },
      checkIntervalSec: 10,
      timeoutSec: 5,
    },
    opts,
  );
  const backend = new gcp.compute.RegionBackendService(
    `${cluster}-api`,
    {
      region,
      loadBalancingScheme: "EXTERNAL",
      protocol: "TCP",
      healthChecks: health.id,
      backends: groups.map((g) => ({ group: g.id, balancingMode: "CONNECTION" })),
    },
    opts,
  );
  new gcp.compute.ForwardingRule(
    `${cluster}-api`,
    {
      region,
      ipAddress: address.address,
      ipProtocol: "TCP",
      ports: ["6443"],
      loadBalancingScheme: "EXTERNAL",
      backendService: backend.id,
      labels,
    },
    opts,
  );
  return { address: address.address, groups };
}
