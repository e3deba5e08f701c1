import { stringify } from "yaml";
import { endpointUrl } from "./endpoint.js";

/** What an admin kubeconfig is made of. */
export interface KubeconfigInput {
  clusterName: string;
  endpoint: { host: string; port: number };
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

/** Renders an admin kubeconfig with embedded credentials. Treat the result as a secret. */
export function renderKubeconfig(k: KubeconfigInput): string {
  const b64 = (pem: string) => Buffer.from(pem, "utf8").toString("base64");
  const user = `${k.clusterName}-admin`;
  return stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: k.clusterName,
          cluster: {
            server: endpointUrl(k.endpoint),
            "certificate-authority-data": b64(k.caCertPem),
          },
        },
      ],
      users: [
        {
          name: user,
          user: {
            "client-certificate-data": b64(k.clientCertPem),
            "client-key-data": b64(k.clientKeyPem),
          },
        },
      ],
      contexts: [{ name: k.clusterName, context: { cluster: k.clusterName, user } }],
      "current-context": k.clusterName,
    },
    { lineWidth: 0 },
  );
}
