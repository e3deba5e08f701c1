import type { MachinesRequest } from "@minos/core";
import { refuseDelivery } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import { NODE_SCOPES } from "./iam.js";
import { clusterLabels } from "./labels.js";

/**
 * Instance settings shared by control-plane instances and worker templates:
 * the first-boot payload, or the OS's pointer to it, in the metadata key the
 * OS reads (`user-data` for every minos OS), or no such key where the OS
 * hands a control-plane node its payload over its own API (`machine-api`;
 * a pool's machines come and go unseen, so workers never do),
 * project-wide SSH keys blocked, Shielded VM with vTPM and integrity
 * monitoring (secure boot where the image supports it), a balanced PD boot
 * disk (GCE encrypts every disk at rest).
 */
export function instanceSettings(
  request: MachinesRequest,
  secureBoot: boolean,
  /** What the metadata key holds: the payload, or the OS's pointer to it; absent for `machine-api`. */
  userData: pulumi.Input<string> | undefined,
) {
  refuseDelivery(
    "gcp",
    request,
    request.role === "worker" ? ["metadata"] : ["metadata", "machine-api"],
  );
  const { delivery } = request;
  return {
    metadata: {
      ...(delivery.kind === "metadata" && userData !== undefined && { [delivery.key]: userData }),
      "block-project-ssh-keys": "true",
    },
    shieldedInstanceConfig: {
      enableSecureBoot: secureBoot,
      enableVtpm: true,
      enableIntegrityMonitoring: true,
    },
    labels: clusterLabels(request.cluster, request.tags, { "minos-pool": request.pool }),
    scopes: NODE_SCOPES,
    diskType: "pd-balanced",
  };
}

/** Spot capacity: cheaper, may be reclaimed; reclaimed nodes are deleted, not stopped. */
export const SPOT_SCHEDULING = {
  provisioningModel: "SPOT",
  preemptible: true,
  automaticRestart: false,
  instanceTerminationAction: "DELETE",
};
