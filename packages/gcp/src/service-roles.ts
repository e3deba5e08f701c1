import type { PlatformServices } from "@minos/core";
import { stackHash } from "@minos/core";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { NODE_SCOPES } from "./iam.js";

/**
 * Project roles the control-plane instances' account holds for each part
 * the cluster takes, predefined roles only. The controller reads instances
 * and zones to initialize nodes; its Service load balancers are regional
 * forwarding rules, target pools or backend services with their health
 * checks, addresses and instance groups (`roles/compute.loadBalancerAdmin`),
 * and the firewall rules that open nodes to them
 * (`roles/compute.securityAdmin`). Volumes take the persistent-disk CSI
 * driver's `roles/compute.storageAdmin`
 * (`docs/kubernetes/user-guides/driver-install.md` at v1.26.4).
 */
export const SERVICE_PROJECT_ROLES = {
  controller: ["roles/compute.viewer"],
  loadBalancers: ["roles/compute.loadBalancerAdmin", "roles/compute.securityAdmin"],
  volumes: ["roles/compute.storageAdmin"],
} as const;

/**
 * What attaches a disk to an instance: the driver's own custom role,
 * `deploy/gcp-compute-persistent-disk-csi-driver-custom-role.yaml` at
 * v1.26.4. No predefined role holds these without also creating, deleting
 * and reconfiguring every instance of the project (`compute.instanceAdmin`).
 */
export const DISK_ATTACHER_PERMISSIONS = [
  "compute.instances.get",
  "compute.instances.attachDisk",
  "compute.instances.detachDisk",
  "compute.disks.get",
];

/** Changing an instance that runs as an account means acting as it: the driver's disk attachments. */
export const SERVICE_ACCOUNT_USER = "roles/iam.serviceAccountUser";

/** The scope that lets the instance's token call Compute Engine (kube-up's `compute-rw`). */
export const COMPUTE_SCOPE = "https://www.googleapis.com/auth/compute";

/**
 * Control-plane instances' scopes: a node's, and Compute Engine's where the
 * controller or the volume driver runs there; the account's roles, not the
 * scope, bound what the token may do. Workers keep a node's scopes.
 */
export function controlPlaneScopes(services: PlatformServices): string[] {
  return services.controller || services.volumes ? [...NODE_SCOPES, COMPUTE_SCOPE] : NODE_SCOPES;
}

/** The accounts a cluster's nodes run as. */
export interface NodeAccounts {
  controlPlane: gcp.serviceaccount.Account;
  worker: gcp.serviceaccount.Account;
}

/**
 * Grants the control-plane account what the cluster's parts need, in the
 * account's own project, and nothing when no part is on. Workers' accounts
 * gain nothing: the controller and the volume driver's controller run on
 * control-plane nodes only, and the driver's node plugin asks the metadata
 * server, not Google's APIs. `roles/iam.serviceAccountUser` is granted on the
 * two node accounts only, never project-wide (upstream's
 * `NODE_SERVICE_ACCOUNTS`). The custom role's id ends in a random suffix: a
 * deleted custom role's id stays taken for up to 37 days.
 */
export function gcpServiceRoles(
  cluster: string,
  services: PlatformServices,
  accounts: NodeAccounts,
  parent: pulumi.Resource,
): pulumi.Resource[] {
  const opts = { parent };
  const project = accounts.controlPlane.project;
  const member = pulumi.interpolate`serviceAccount:${accounts.controlPlane.email}`;
  const resources: pulumi.Resource[] = [];
  const grant = (role: string) =>
    resources.push(
      new gcp.projects.IAMMember(
        `${cluster}-${role.replace(/^roles\/compute\./, "").toLowerCase()}`,
        { project, role, member },
        opts,
      ),
    );
  if (services.controller) SERVICE_PROJECT_ROLES.controller.forEach(grant);
  if (services.loadBalancers) SERVICE_PROJECT_ROLES.loadBalancers.forEach(grant);
  if (!services.volumes) return resources;
  SERVICE_PROJECT_ROLES.volumes.forEach(grant);
  const suffix = new random.RandomId(`${cluster}-disk-attacher`, { byteLength: 3 }, opts);
  const attacher = new gcp.projects.IAMCustomRole(
    `${cluster}-disk-attacher`,
    {
      project,
      roleId: pulumi.interpolate`minos_${cluster.replace(/-/g, "_")}_${stackHash(cluster)}_${suffix.hex}`,
      title: `minos ${cluster} disk attacher`,
      description: "gcp-compute-persistent-disk-csi-driver's custom role: attach and detach disks",
      permissions: DISK_ATTACHER_PERMISSIONS,
    },
    opts,
  );
  resources.push(
    suffix,
    attacher,
    new gcp.projects.IAMMember(
      `${cluster}-disk-attacher`,
      { project, role: attacher.name, member },
      opts,
    ),
  );
  for (const [role, account] of [
    ["control-plane", accounts.controlPlane],
    ["worker", accounts.worker],
  ] as const)
    resources.push(
      new gcp.serviceaccount.IAMMember(
        `${cluster}-acts-as-${role}`,
        { serviceAccountId: account.name, role: SERVICE_ACCOUNT_USER, member },
        opts,
      ),
    );
  return resources;
}
