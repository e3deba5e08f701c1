import * as pulumi from "@pulumi/pulumi";
import type { OsUpdates } from "../contracts/os-updates.js";
import type { Site, SiteIds } from "../contracts/platform.js";
import type { KubernetesVersionGate } from "../readiness/kubernetes-version-gate.js";
import type { ClusterSecrets } from "../secrets/cluster-secrets.js";
import type { ResolvedCluster } from "./resolve.js";

/**
 * What a node that did not create a cluster needs to join it. Every minos
 * cluster exposes one as `cluster.join` (a secret); NodeGroups take it, in
 * the same program or, through a StackReference, in another. It holds no
 * token: a node group makes each of its pools one, in the cluster.
 */
export interface JoinInfo {
  clusterName: string;
  /**
   * The release the cluster's control plane is known to run (its version
   * gate's): nodes that join render it, so they never lead the control plane.
   */
  kubernetesVersion: string;
  endpoint: { host: string; port: number };
  podCidr: string;
  serviceCidr: string;
  caCertPem: string;
  caCertHash: string;
  /**
   * The group a node bootstrap token carries in this cluster
   * (`auth-extra-groups`): what its control plane binds node bootstrapping
   * to. Default kubeadm's `system:bootstrappers:kubeadm:default-node-token`.
   */
  bootstrapTokenGroup?: string;
  /** How the cluster's nodes take OS updates; joining nodes follow it. */
  osUpdates: OsUpdates;
  /** The platform's ids for the cluster's network (`Site.ids`), where joining machines go. */
  site: SiteIds;
  /**
   * The cluster runs its platform's cloud controller: joining kubelets start
   * with the external cloud provider too (`PlatformServices.controller`).
   * Absent from join information recorded before it existed: no.
   */
  externalCloudProvider?: boolean;
}

/** What a node group joins with; its release is the one the control plane is known to run. */
export function clusterJoinInfo(
  cluster: ResolvedCluster,
  site: Site,
  secrets: ClusterSecrets,
  bootstrapTokenGroup: string,
  gate: KubernetesVersionGate,
): pulumi.Output<JoinInfo> {
  return pulumi
    .all([site.endpoint.host, secrets.material, site.ids, gate.version])
    .apply(([host, material, ids, version]) => ({
      clusterName: cluster.name,
      kubernetesVersion: version,
      endpoint: { host, port: site.endpoint.port },
      site: ids,
      podCidr: cluster.podCidr,
      serviceCidr: cluster.serviceCidr,
      osUpdates: cluster.osUpdates,
      caCertPem: material.join.caCertPem,
      caCertHash: material.join.caCertHash,
      bootstrapTokenGroup,
      ...(cluster.services.controller && { externalCloudProvider: true }),
    }));
}
