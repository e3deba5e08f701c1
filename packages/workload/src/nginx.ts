import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The workload every minos example deploys, so clusters on different OSes
 * and platforms run exactly the same thing: nginx, two replicas, behind a
 * ClusterIP Service.
 */
export function nginx(
  name: string,
  provider: k8s.Provider,
  dependsOn: pulumi.Input<pulumi.Resource>[] = [],
  /** Only on nodes with these labels (one OS of a mixed cluster, say). Default anywhere. */
  nodeSelector?: Record<string, string>,
) {
  const labels = { app: name };
  const deployment = new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...(nodeSelector && { nodeSelector }),
            containers: [
              {
                name: "nginx",
                image: "nginx:1.27-alpine",
                ports: [{ containerPort: 80 }],
                resources: { requests: { cpu: "50m", memory: "32Mi" } },
              },
            ],
          },
        },
      },
    },
    { provider, dependsOn },
  );
  const service = new k8s.core.v1.Service(
    name,
    { metadata: { labels }, spec: { selector: labels, ports: [{ port: 80, targetPort: 80 }] } },
    { provider, dependsOn: [deployment] },
  );
  return { deployment, service };
}
