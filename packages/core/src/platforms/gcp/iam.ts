import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/** Only what a node needs: write logs and metrics, read container images. */
export const NODE_SCOPES = [
  "https://www.googleapis.com/auth/logging.write",
  "https://www.googleapis.com/auth/monitoring.write",
  "https://www.googleapis.com/auth/devstorage.read_only",
];

/** A service account per node role, with no project roles of its own. */
export function gcpServiceAccount(
  cluster: string,
  role: "control-plane" | "worker",
  parent: pulumi.Resource,
): gcp.serviceaccount.Account {
  return new gcp.serviceaccount.Account(
    `${cluster}-${role}`,
    {
      accountId: `${cluster}-${role === "worker" ? "wk" : "cp"}`,
      displayName: `minos ${cluster} ${role} nodes`,
    },
    { parent },
  );
}
