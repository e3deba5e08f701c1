/**
 * `@minos/core/aws`: the AWS platform. A separate entry point, so programs
 * for other platforms never load the AWS SDK.
 */
export type { AwsExistingVpcArgs, AwsNewVpcArgs, AwsPlatformArgs } from "./platforms/aws/args.js";
export { aws } from "./platforms/aws/index.js";
export { s3PointerConfig } from "./platforms/aws/payloads.js";
