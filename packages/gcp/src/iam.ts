import { stackUniqueName } from "@minos/core";
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/** Only what a node needs: write logs and metrics, read container images. */
export const NODE_SCOPES = [
  "https://www.googleapis.com/auth/logging.write",
  "https://www.googleapis.com/auth/monitoring.write",
  "https://www.googleapis.com/auth/devstorage.read_only",
];

/**
 * A service account per node role, with no project roles of its own. Its id
 * is unique per project and 6 to 30 characters: `<cluster>-cp-<stack hash>`,
 * the cluster name cut to fit. Accounts made before the hash keep their id: a
 * new one would change the email every node runs as, stopping each
 * control-plane instance to swap it and rolling every worker.
 */
export function gcpServiceAccount(
  cluster: string,
  role: "control-plane" | "worker",
  parent: pulumi.Resource,
): gcp.serviceaccount.Account {
  const short = role === "worker" ? "wk" : "cp";
  return new gcp.serviceaccount.Account(
    `${cluster}-${role}`,
    {
      accountId: stackUniqueName(cluster, 30, (c, h) => `${c}-${short}-${h}`),
      displayName: `minos ${cluster} ${role} nodes`,
    },
    { parent, ignoreChanges: ["accountId"] },
  );
}
