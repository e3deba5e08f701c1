import type { PayloadPointer } from "@minos/core";
import { pointerTo } from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterTags } from "./tags.js";

/**
 * Every payload goes to a private, encrypted S3 bucket and EC2 user-data
 * holds only a pointer. EC2 user-data is readable by anyone allowed
 * `ec2:DescribeInstanceAttribute` (AWS's ReadOnlyAccess policy included), and
 * minos payloads hold CA keys and bootstrap tokens. S3 also lifts the 16 KiB
 * user-data limit.
 */
export class AwsPayloadBucket {
  readonly bucket: aws.s3.Bucket;

  constructor(
    readonly cluster: string,
    readonly tags: Record<string, string>,
    readonly parent: pulumi.Resource,
  ) {
    const opts = { parent };
    this.bucket = new aws.s3.Bucket(
      `${cluster}-payloads`,
      { forceDestroy: true, tags: clusterTags(cluster, tags) },
      opts,
    );
    const bucket = this.bucket.id;
    new aws.s3.BucketPublicAccessBlock(
      `${cluster}-payloads`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      opts,
    );
    new aws.s3.BucketOwnershipControls(
      `${cluster}-payloads`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${cluster}-payloads`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      opts,
    );
    new aws.s3.BucketPolicy(
      `${cluster}-payloads`,
      {
        bucket,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "TlsOnly",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      opts,
    );
  }
}

/**
 * Stores one group's payload in a cluster's payload bucket under `key`
 * (`worker/<pool>`: each node role may read only its own prefix), and
 * returns what the node gets instead: the OS's pointer to it. The pointer
 * holds a bucket, a key and a hash of the payload; the payload embeds fresh
 * private keys, so the hash reveals nothing, and plain user-data keeps
 * previews readable.
 */
export function storePayload(
  name: string,
  bucket: pulumi.Input<string>,
  key: string,
  payload: pulumi.Output<string>,
  pointer: PayloadPointer,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  new aws.s3.BucketObjectv2(
    name,
    { bucket, key, content: pulumi.secret(payload), contentType: "application/octet-stream", tags },
    // Kept encrypted in Pulumi state too.
    { parent, additionalSecretOutputs: ["content"] },
  );
  return pointerTo(pulumi.interpolate`s3://${bucket}/${key}`, payload, pointer);
}
