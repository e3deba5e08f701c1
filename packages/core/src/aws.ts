/**
 * `@minos/core/aws`: the AWS platform. A separate entry point, so programs
 * for other platforms never load the AWS SDK.
 */

export { type ResolvedAmi, resolveAmi } from "./platforms/aws/ami.js";
export type { AwsExistingVpcArgs, AwsNewVpcArgs, AwsPlatformArgs } from "./platforms/aws/args.js";
export { EC2_ASSUME_ROLE_POLICY } from "./platforms/aws/iam.js";
export { aws, fitUserData } from "./platforms/aws/index.js";
export { metadataOptions } from "./platforms/aws/machine-settings.js";
export { s3PointerConfig } from "./platforms/aws/payloads.js";
export { awsWorkerPool, type WorkerPlacement } from "./platforms/aws/workers.js";
