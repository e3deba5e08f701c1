/**
 * `@minos/aws`: AWS as a minos platform, for clusters of any minos OS and
 * for node groups joining them, or an EKS cluster (`eksCluster`).
 */
export type { ResolvedAmi } from "./ami.js";
export { resolveAmi } from "./ami.js";
export type { AwsExistingVpcArgs, AwsNewVpcArgs, AwsPlatformArgs } from "./args.js";
export { awsDescription, USER_DATA_LIMIT } from "./description.js";
export type { EksPlacement } from "./eks.js";
export { EKS_NODE_POLICIES, eks } from "./eks.js";
export type { EksClusterOptions, EksClusterSource } from "./eks-cluster.js";
export { eksCluster } from "./eks-cluster.js";
export { EC2_ASSUME_ROLE_POLICY } from "./iam.js";
export { metadataOptions } from "./machine-settings.js";
export type { AwsSiteIds } from "./platform.js";
export { aws } from "./platform.js";
