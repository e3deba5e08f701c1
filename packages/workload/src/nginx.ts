import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** How the shared workload asks the platform for an address and a disk. */
export interface NginxOptions {
  /** Only on nodes with these labels (one OS of a mixed cluster, say). Default anywhere. */
  nodeSelector?: Record<string, string>;
  /**
   * A Service of type `LoadBalancer`, whose address the platform hands out
   * (`platformServices.loadBalancers`); `false` keeps it `ClusterIP`, for a
   * cluster that has no load balancers. Default true.
   */
  loadBalancer?: boolean;
  /**
   * A small volume from the cluster's default StorageClass
   * (`platformServices.volumes`) that nginx serves its page from; `false`
   * for a cluster with none. Default true.
   */
  volume?: boolean;
  /**
   * What the cluster took from its platform (`cluster.platformServices`):
   * the defaults of `loadBalancer` and `volume` follow it, so a cluster
   * without volumes (Talos on GCP) or load balancers gets nginx without.
   */
  services?: { volumes: boolean; loadBalancers: boolean };
}

/** The image nginx runs: the page is written by the same image's shell. */
export const NGINX_IMAGE = "nginx:1.27-alpine";

/** What `nginx` makes, and where it answers. */
export interface Nginx {
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service;
  /** Its claim, when it has one. */
  volume?: k8s.core.v1.PersistentVolumeClaim;
  /** The load balancer's address (host name or IP) once the platform gave one; `undefined` without. */
  address: pulumi.Output<string | undefined>;
}

/**
 * The workload every minos example deploys, so clusters on different OSes
 * and platforms run exactly the same thing: nginx behind a Service of type
 * `LoadBalancer`, serving a page it wrote on first start to a 1 GiB claim of
 * the default StorageClass, so both come from the platform (its load
 * balancers and its volumes). One replica, replaced by recreating it: a
 * `ReadWriteOnce` volume is attached to one node at a time.
 *
 * Pass the cluster's `addons` as `dependsOn`: the claim and the Service are
 * then deleted while the controllers that made their volume and load
 * balancer still run, so `pulumi destroy` leaves neither behind.
 */
export function nginx(
  name: string,
  provider: k8s.Provider,
  dependsOn: pulumi.Input<pulumi.Resource>[] = [],
  options: NginxOptions = {},
): Nginx {
  const {
    nodeSelector,
    services,
    loadBalancer = services?.loadBalancers ?? true,
    volume: withVolume = services?.volumes ?? true,
  } = options;
  const labels = { app: name };
  const volume = withVolume
    ? new k8s.core.v1.PersistentVolumeClaim(
        name,
        {
          // Bound only once its pod is scheduled (WaitForFirstConsumer), which needs the claim first.
          metadata: { labels, annotations: { "pulumi.com/skipAwait": "true" } },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
        { provider, dependsOn },
      )
    : undefined;
  const html = "/usr/share/nginx/html";
  const deployment = new k8s.apps.v1.Deployment(
    name,
    {
      metadata: { labels },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...(nodeSelector && { nodeSelector }),
            ...(volume && {
              // The page, written once to the volume: it shows the volume mounted and kept.
              initContainers: [
                {
                  name: "page",
                  image: NGINX_IMAGE,
                  command: [
                    "sh",
                    "-c",
                    `[ -f ${html}/index.html ] || echo "minos ${name}: served from a volume since $(date -u +%FT%TZ)" >${html}/index.html`,
                  ],
                  volumeMounts: [{ name: "html", mountPath: html }],
                  resources: { requests: { cpu: "10m", memory: "16Mi" } },
                },
              ],
              volumes: [
                { name: "html", persistentVolumeClaim: { claimName: volume.metadata.name } },
              ],
            }),
            containers: [
              {
                name: "nginx",
                image: NGINX_IMAGE,
                ports: [{ containerPort: 80 }],
                resources: { requests: { cpu: "50m", memory: "32Mi" } },
                ...(volume && { volumeMounts: [{ name: "html", mountPath: html }] }),
              },
            ],
          },
        },
      },
    },
    { provider, dependsOn: volume ? [volume] : dependsOn },
  );
  const service = new k8s.core.v1.Service(
    name,
    {
      metadata: {
        labels,
        // AWS's controller makes a Network Load Balancer, not a Classic one; other platforms ignore it.
        ...(loadBalancer && {
          annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
        }),
      },
      spec: {
        type: loadBalancer ? "LoadBalancer" : "ClusterIP",
        selector: labels,
        ports: [{ port: 80, targetPort: 80 }],
      },
    },
    // After the workload, and so after the claim and the add-ons it depends on.
    { provider, dependsOn: [deployment] },
  );
  const address = loadBalancer
    ? service.status.apply((s) => {
        const ingress = s?.loadBalancer?.ingress?.[0];
        return ingress?.hostname ?? ingress?.ip;
      })
    : pulumi.output(undefined);
  return { deployment, service, ...(volume && { volume }), address };
}
