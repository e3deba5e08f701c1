import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { canonicalJson } from "../../ignition/canonical-json.js";
import { IGNITION_VERSION } from "../../ignition/types.js";
import { clusterTags } from "./tags.js";

/**
 * A first-boot config that only points at the real one in S3, pinned by hash.
 * It carries no secret, fits any user-data limit, and changes whenever the
 * real config does.
 */
export function s3PointerConfig(bucket: string, key: string, payload: string): string {
  const hash = createHash("sha512").update(payload).digest("hex");
  return canonicalJson({
    ignition: {
      version: IGNITION_VERSION,
      config: {
        replace: { source: `s3://${bucket}/${key}`, verification: { hash: `sha512-${hash}` } },
      },
    },
  });
}

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
    private readonly cluster: string,
    private readonly tags: Record<string, string>,
    private readonly parent: pulumi.Resource,
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

  /** Stores one group's payload under `<prefix>/<name>.ign`; returns the user-data pointing at it. */
  put(
    prefix: "control-plane" | "worker",
    name: string,
    payload: pulumi.Output<string>,
  ): pulumi.Output<string> {
    const key = `${prefix}/${name}.ign`;
    new aws.s3.BucketObjectv2(
      `${this.cluster}-${prefix}-${name}`,
      {
        bucket: this.bucket.id,
        key,
        content: pulumi.secret(payload),
        contentType: "application/json",
        tags: clusterTags(this.cluster, this.tags),
      },
      // Kept encrypted in Pulumi state too.
      { parent: this.parent, additionalSecretOutputs: ["content"] },
    );
    // The pointer holds a bucket, a key and a SHA-512 of the payload; the payload
    // embeds fresh private keys, so the hash reveals nothing. Plain user-data
    // keeps previews readable.
    return pulumi.unsecret(
      pulumi
        .all([this.bucket.bucket, payload])
        .apply(([bucket, p]) => s3PointerConfig(bucket, key, p)),
    );
  }
}
