/** An EKS cluster as its facts, as `eksCluster` is given them. */
export const EKS_FACTS = {
  name: "eks",
  endpoint: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
  certificateAuthorityData: Buffer.from("-----BEGIN CERTIFICATE-----").toString("base64"),
  subnetIds: ["subnet-0123456789abcdef0"],
  securityGroupIds: ["sg-0123456789abcdef0"],
};
