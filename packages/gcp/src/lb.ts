import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/** The API endpoint: a reserved regional address and a passthrough NLB on 6443. */
export interface GcpApiLoadBalancer {
  address: pulumi.Output<string>;
  /** One unmanaged instance group per control-plane node, in that node's zone. */
  groups: gcp.compute.InstanceGroup[];
  /** The address, groups, health checks, backend services and forwarding rules. */
  resources: pulumi.Resource[];
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
  otherPorts: readonly number[] = [],
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
  const resources: pulumi.Resource[] = [address, ...groups];
  /** A passthrough backend service for one control-plane port on the shared address. */
  const forward = (
    name: string,
    port: number,
    check: Omit<gcp.compute.RegionHealthCheckArgs, "region">,
  ) => {
    const health = new gcp.compute.RegionHealthCheck(
      name,
      { region, ...check, checkIntervalSec: 10, timeoutSec: 5 },
      opts,
    );
    const backend = new gcp.compute.RegionBackendService(
      name,
      {
        region,
        loadBalancingScheme: "EXTERNAL",
        protocol: "TCP",
        healthChecks: health.id,
        backends: groups.map((g) => ({ group: g.id, balancingMode: "CONNECTION" })),
      },
      opts,
    );
    const rule = new gcp.compute.ForwardingRule(
      name,
      {
        region,
        ipAddress: address.address,
        ipProtocol: "TCP",
        ports: [String(port)],
        loadBalancingScheme: "EXTERNAL",
        backendService: backend.id,
        labels,
      },
      opts,
    );
    resources.push(health, backend, rule);
  };
  forward(`${cluster}-api`, 6443, { httpsHealthCheck: { port: 6443, requestPath: "/readyz" } });
  // Other control-plane services the program calls (Talos's apid) share the
  // address, healthy once the port accepts connections (before the API server runs).
  for (const port of otherPorts) forward(`${cluster}-p${port}`, port, { tcpHealthCheck: { port } });
  return { address: address.address, groups, resources };
}
