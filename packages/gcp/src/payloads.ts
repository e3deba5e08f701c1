import type { PayloadPointer } from "@minos/core";
import { pointerTo } from "@minos/core";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * A private Cloud Storage bucket for a cluster's first-boot payloads, where
 * the OS can follow a pointer (it reads `gs://` with the instance's
 * service account). Instance metadata is readable by anyone allowed
 * `compute.instances.get` (a project Viewer) and by any pod through the
 * metadata server; minos payloads hold CA keys and bootstrap tokens, so
 * metadata holds only the pointer. Uniform access, public access prevented,
 * and each node role's service account may read only its own prefix: a
 * worker cannot fetch a control-plane payload.
 */
export function gcpPayloadBucket(
  cluster: string,
  location: string,
  labels: Record<string, string>,
  readers: Record<"control-plane" | "worker", pulumi.Input<string>>,
  parent: pulumi.Resource,
): gcp.storage.Bucket {
  const bucket = new gcp.storage.Bucket(
    `${cluster}-payloads`,
    {
      location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: true,
      labels,
    },
    { parent },
  );
  for (const [role, email] of Object.entries(readers))
    new gcp.storage.BucketIAMMember(
      `${cluster}-${role}-payloads`,
      {
        bucket: bucket.name,
        role: "roles/storage.objectViewer",
        member: pulumi.interpolate`serviceAccount:${email}`,
        condition: {
          title: `${role} payloads only`,
          expression: pulumi.interpolate`resource.name.startsWith("projects/_/buckets/${bucket.name}/objects/${role}/")`,
        },
      },
      { parent },
    );
  return bucket;
}

/**
 * Stores one group's payload in a payload bucket under `key` and returns
 * what instance metadata gets instead: the OS's pointer to it (a bucket, a
 * key and a hash of the payload, which embeds fresh private keys: the hash
 * reveals nothing, and plain metadata keeps previews readable).
 */
export function storePayload(
  name: string,
  bucket: pulumi.Input<string>,
  key: string,
  payload: pulumi.Output<string>,
  pointer: PayloadPointer,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  new gcp.storage.BucketObject(
    name,
    {
      bucket,
      name: key,
      content: pulumi.secret(payload),
      contentType: "application/octet-stream",
    },
    // Kept encrypted in Pulumi state too.
    { parent, additionalSecretOutputs: ["content"] },
  );
  return pointerTo(pulumi.interpolate`gs://${bucket}/${key}`, payload, pointer);
}
