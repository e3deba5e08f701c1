import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterCni } from "../contracts/cni.js";
import type { ConfigDelivery } from "../contracts/image.js";
import type { NodeOs } from "../contracts/node-os.js";
import type { OsUpdates } from "../contracts/os-updates.js";
import type { Machines, Platform, Site } from "../contracts/platform.js";
import type { PlatformServices } from "../contracts/platform-services.js";
import { endpointUrl } from "../endpoint.js";
import { renderKubeconfig } from "../kubeconfig.js";
import type { KubernetesVersion } from "../kubernetes-versions.js";
import type { ApiReadiness, NodeInventory } from "../readiness/api-readiness.js";
import { KubernetesVersionGate } from "../readiness/kubernetes-version-gate.js";
import { readinessTroubleshooting } from "../readiness/troubleshooting.js";
import { ClusterSecrets } from "../secrets/cluster-secrets.js";
import type { PoolToken } from "../secrets/pool-token.js";
import { KUBEADM_NODE_TOKEN_GROUP, poolToken } from "../secrets/pool-token.js";
import type { ClusterArgs } from "./args.js";
import { bootstrapContext } from "./context.js";
import { poolImageUpdates } from "./image-updates.js";
import { inCluster } from "./in-cluster.js";
import type { JoinInfo } from "./join-info.js";
import { clusterJoinInfo } from "./join-info.js";
import { planClusterGroups, provisionGroups } from "./pipeline.js";
import { placeCluster } from "./placement.js";
import { resolveClusterArgs } from "./resolve.js";

/** One worker pool as the cluster reports it. */
export interface NodePoolInfo {
  name: string;
  count: number;
  minCount: number;
  maxCount: number;
  spot: boolean;
  /** The platform's name for the group (e.g. the ASG name). */
  group: string;
  /**
   * The public id of the pool's bootstrap token: its Secret is
   * `kube-system/bootstrap-token-<id>`. Empty where the OS takes no token.
   */
  bootstrapTokenId: string;
}

/**
 * A Kubernetes cluster: one NodeOs on one Platform. This is the one place
 * that orders the steps; OS packages subclass it with their NodeOs bound
 * (`FlatcarCluster`, `FcosCluster`, `TalosCluster`).
 *
 * 1. validate args (a MinosError before any resource exists)
 * 2. secrets: CAs, admin certificate, the control plane's bootstrap token,
 *    and a token of its own for each pool
 * 3. platform network and API endpoint
 * 4. OS image and first-boot config, rendered once per role and pool
 * 5. machines, control plane and workers in parallel
 * 6. once the API answers: each pool's token Secret, the CNI, the OS's and
 *    the platform's add-ons
 */
export class Cluster extends pulumi.ComponentResource {
  /** The cluster's name, as its resources and tags carry it. */
  readonly name: string;
  /** Admin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** `https://<host>:6443`. */
  readonly endpoint: pulumi.Output<string>;
  /** Everything a NodeGroup needs to join this cluster (secret). */
  readonly join: pulumi.Output<JoinInfo>;
  /** Rendered first-boot payloads by `control-plane`, `control-plane-join`, `worker/<pool>` (secret). */
  readonly nodeConfigs: pulumi.Output<Record<string, string>>;
  /**
   * The same payloads with keys and tokens replaced by fingerprints, where
   * the OS renders one (Talos): not secret, so `pulumi preview --diff` shows
   * what changed in them.
   */
  readonly nodeConfigsRedacted: pulumi.Output<Record<string, string>>;
  /** What the OS's own step after the control plane made (Talos: the etcd bootstrap). */
  readonly osResources: pulumi.Resource[];
  /** What the OS's own `secrets()` made (Talos: its OS CA, machine token, cluster id); secret. */
  readonly osSecrets: pulumi.Output<unknown>;
  /** The Kubernetes version the cluster runs, e.g. `1.37.1`. */
  readonly kubernetesVersion: string;
  /** The same, parsed. */
  readonly kubernetes: KubernetesVersion;
  /** The pod network it runs and who deploys it, for node groups of other OSes that join it. */
  readonly cni: ClusterCni;
  /** How the OS's updates reach its nodes; joining node groups follow it. */
  readonly osUpdates: OsUpdates;
  /**
   * What the cluster took from its platform (`ClusterArgs.platformServices`
   * resolved against what the platform and the OS have): a workload that
   * needs a volume or a load balancer can ask whether it gets one.
   */
  readonly platformServices: PlatformServices;
  /** Machines per group, in creation order. */
  readonly machines: Record<string, Machines>;
  /** Private addresses of the control-plane nodes, where the platform knows them. */
  readonly controlPlaneIps: pulumi.Output<string[]>;
  /** Worker pools: name, sizes, spot, and the platform's group name. */
  readonly nodePools: pulumi.Output<NodePoolInfo[]>;
  /**
   * The Kubernetes release the control plane runs, recorded: it refuses at
   * preview a release that skips a minor or goes back, and on a change
   * waits until every kube-apiserver runs the new one. Worker machines and
   * `join` (so node groups) take the release through it.
   */
  readonly versionGate: KubernetesVersionGate;
  /** Exists once the API server answers `/readyz`. */
  readonly ready: ApiReadiness;
  /** Exists once every planned node reports Ready (unless `readiness.waitFor` is `api`). */
  readonly nodesReady: ApiReadiness | undefined;
  /**
   * The nodes as the API reported them once Ready: name, role, OS image,
   * kernel, container runtime, kubelet, architecture, Ready time.
   */
  readonly nodes: pulumi.Output<NodeInventory[]>;
  /** How long the API and the nodes took to be ready, in seconds from the gates' creation. */
  readonly timings: pulumi.Output<{ apiReadySeconds: number; nodesReadySeconds: number | null }>;
  /** A Kubernetes provider for this cluster that waits for the nodes (or the API, with `waitFor: "api"`). */
  readonly provider: k8s.Provider;
  /** Cluster add-ons minos installed: the CNI, the OS's and the platform's (KVM: local volumes). */
  readonly addons: pulumi.Resource[];
  /**
   * Each pool's bootstrap token Secret (`kube-system/bootstrap-token-<id>`)
   * by pool name, made once the API answers; none where the OS takes no token.
   */
  readonly poolTokens: Record<string, k8s.core.v1.Secret>;
  /** When the cluster may be deleted (`expiresAt`), for cleanup jobs. */
  readonly expiresAt: string | undefined;
  /** The platform the cluster runs on, for NodeGroups that join it. */
  readonly platform: Platform;
  /**
   * How its nodes get their first-boot payloads (the OS's delivery on the
   * platform; workers', where the OS hands the control plane's over its API).
   */
  readonly delivery: ConfigDelivery;
  /** How each group of `nodeConfigs` gets its payload, by the same keys. */
  readonly deliveries: Record<string, ConfigDelivery>;
  /** What the platform made for it: endpoint, API path, and the ids node groups join with. */
  readonly site: Site;

  /**
   * @param ownOutputs What a subclass exposes besides the cluster's own
   *   outputs, made from the finished cluster. They are registered with the
   *   cluster's in its one `registerOutputs` call: Pulumi ignores any later one.
   */
  constructor(
    type: string,
    name: string,
    os: NodeOs,
    args: ClusterArgs,
    opts?: pulumi.ComponentResourceOptions,
    ownOutputs?: (cluster: Cluster) => pulumi.Inputs,
  ) {
    const cluster = resolveClusterArgs(name, os, args);
    const plan = planClusterGroups(name, cluster);
    const { platform } = args;
    // Checked by the platform before anything exists; only then are its networks and name taken.
    const { info, virtualIp } = placeCluster(type, os, platform, cluster, plan);
    super(type, name, {}, opts);
    this.name = name;
    this.kubernetes = cluster.kubernetes;
    this.kubernetesVersion = cluster.kubernetes.text;
    this.cni = cluster.cni;
    this.osUpdates = cluster.osUpdates;
    this.platformServices = cluster.services;
    this.expiresAt = args.expiresAt;
    this.platform = platform;

    const secrets = new ClusterSecrets(`${name}-secrets`, { parent: this });
    const site = platform.site(info, this);
    this.site = site;
    const scope = { name, parent: this };
    const osSecrets = os.secrets?.(scope) ?? pulumi.output(undefined);
    this.osSecrets = pulumi.secret(osSecrets);

    this.endpoint = site.endpoint.host.apply((host) =>
      endpointUrl({ host, port: site.endpoint.port }),
    );
    // How the gates ask the API: as the admin, for as long as the cluster's readiness allows.
    const asAdmin = {
      endpoint: this.endpoint,
      caCertPem: secrets.material.join.caCertPem,
      clientCertPem: secrets.admin.certPem,
      clientKeyPem: secrets.admin.keyPem,
      ...(args.readiness?.timeoutSeconds !== undefined && {
        timeoutSeconds: args.readiness.timeoutSeconds,
      }),
    };
    // Made at once (a new cluster's API does not answer yet); on a change of
    // release it waits for the control plane, and the workers wait for it.
    // It depends on nothing the control plane's own move needs (Talos's
    // config apply, the readiness gates), so that move never waits for it.
    this.versionGate = new KubernetesVersionGate(
      `${name}-kubernetes-version`,
      {
        ...asAdmin,
        version: cluster.kubernetes.text,
        externalCloudProvider: cluster.services.controller,
        upgradeHint:
          os.controlPlaneUpgrade?.(cluster.kubernetes) ??
          `Move the control plane to Kubernetes ${cluster.kubernetes.text} as ${os.name} documents it`,
      },
      { parent: this },
    );

    this.delivery = os.delivery(platform.name);
    // Each pool's own token, made before any machine; the control plane's joins use the cluster's.
    const workerToken = os.workerToken ?? "kubeadm";
    const bootstrapTokenGroup = os.bootstrapTokenGroup ?? KUBEADM_NODE_TOKEN_GROUP;
    const tokens: Record<string, PoolToken> = {};
    if (workerToken !== "none")
      for (const { group, planned } of plan)
        if (planned.role === "worker")
          tokens[group.settings.pool] = poolToken(
            planned.name,
            group.bootstrapToken?.generation ?? 0,
            { parent: this },
          );
    const provisioned = provisionGroups(
      os,
      platform,
      site,
      {
        cluster: name,
        arch: cluster.arch,
        image: os.image(platform.name, cluster.arch, scope),
        tags: cluster.tags,
        imageUpdates: poolImageUpdates(os, cluster.osUpdates),
      },
      plan,
      (role, group) =>
        pulumi
          .all([
            secrets.material,
            site.endpoint.host,
            site.certSans ?? [],
            osSecrets,
            role === "worker" ? (tokens[group.settings.pool]?.token ?? "") : undefined,
          ])
          .apply(([material, host, sans, own, token]) =>
            bootstrapContext(
              cluster,
              platform.name,
              role,
              group,
              { host, port: site.endpoint.port, ...(virtualIp && { virtualIp }) },
              sans,
              // A worker holds its pool's token, never the control plane's.
              token === undefined
                ? material
                : { ...material, join: { ...material.join, bootstrapToken: token } },
              own,
            ),
          ),
      this.versionGate.version,
    );
    this.machines = provisioned.machines;

    this.controlPlaneIps = pulumi
      .all(
        ["control-plane", "control-plane-join"].map(
          (k) => this.machines[k]?.privateIps ?? pulumi.output([]),
        ),
      )
      .apply((lists) => lists.flat());
    this.nodePools = pulumi.output(
      cluster.pools.map((p) => ({
        name: p.settings.pool,
        count: p.count,
        minCount: p.minCount,
        maxCount: p.maxCount,
        spot: p.spot,
        group: this.machines[`worker/${p.settings.pool}`]?.groupName ?? "",
        bootstrapTokenId: tokens[p.settings.pool]?.id ?? "",
      })),
    );

    this.kubeconfig = pulumi.secret(
      pulumi
        .all([site.endpoint.host, secrets.material, secrets.admin])
        .apply(([host, material, admin]) =>
          renderKubeconfig({
            clusterName: name,
            endpoint: { host, port: site.endpoint.port },
            caCertPem: material.join.caCertPem,
            clientCertPem: admin.certPem,
            clientKeyPem: admin.keyPem,
          }),
        ),
    );
    const firstControlPlane = this.machines["control-plane"];
    // The API's whole path, every control-plane node included (etcd loses
    // quorum without them): what anything talking to the cluster depends on.
    const apiPath = [
      ...site.apiPath,
      ...["control-plane", "control-plane-join"].flatMap((k) => [
        ...(this.machines[k]?.resources ?? []),
        ...(this.machines[k]?.apiPath ?? []),
      ]),
    ];
    this.osResources =
      os.afterControlPlane && firstControlPlane
        ? os.afterControlPlane({
            scope,
            platform: platform.name,
            kubernetes: cluster.kubernetes,
            endpointHost: site.endpoint.host,
            firstControlPlaneIp: (firstControlPlane.privateIps ?? pulumi.output([])).apply(
              (ips) => ips[0] ?? "",
            ),
            controlPlaneIps: this.controlPlaneIps,
            workerIps: pulumi
              .all(
                cluster.pools.map(
                  (p) =>
                    this.machines[`worker/${p.settings.pool}`]?.privateIps ?? pulumi.output([]),
                ),
              )
              .apply((lists) => lists.flat()),
            osUpdates: cluster.osUpdates,
            controlPlane: firstControlPlane.resources,
            apiPath,
            osSecrets,
            groups: provisioned.rendered,
          })
        : [];
    const troubleshooting = readinessTroubleshooting(os, platform);
    const inside = inCluster({
      name,
      os,
      platform,
      siteIds: site.ids,
      cluster,
      plan,
      tokens,
      workerToken,
      bootstrapTokenGroup,
      gate: { ...asAdmin, ...(troubleshooting !== undefined && { troubleshooting }) },
      waitFor: args.readiness?.waitFor ?? "nodes",
      kubeconfig: this.kubeconfig,
      apiAfter: [...apiPath, ...this.osResources],
      parent: this,
    });
    this.ready = inside.ready;
    this.nodesReady = inside.nodesReady;
    this.provider = inside.provider;
    this.addons = inside.addons;
    this.poolTokens = inside.poolTokens;
    this.nodes = this.nodesReady?.nodes.apply((n) => n ?? []) ?? pulumi.output([]);
    this.timings = pulumi
      .all([this.ready.readySeconds, this.nodesReady?.nodesReadySeconds])
      .apply(([api, nodes]) => ({ apiReadySeconds: api, nodesReadySeconds: nodes ?? null }));
    this.join = pulumi.secret(
      clusterJoinInfo(cluster, site, secrets, bootstrapTokenGroup, this.versionGate),
    );
    this.nodeConfigs = pulumi.secret(pulumi.all(provisioned.configs));
    this.deliveries = provisioned.deliveries;
    this.nodeConfigsRedacted = pulumi
      .all(provisioned.redacted)
      .apply((all) => Object.fromEntries(Object.entries(all).filter(([, text]) => text !== "")));
    // Every value the cluster exposes; its resources (`provider`, `ready`,
    // `machines`, ...) are for the program, not for outputs.
    this.registerOutputs({
      name: this.name,
      kubeconfig: this.kubeconfig,
      endpoint: this.endpoint,
      join: this.join,
      nodeConfigs: this.nodeConfigs,
      nodeConfigsRedacted: this.nodeConfigsRedacted,
      kubernetesVersion: this.kubernetesVersion,
      cni: this.cni,
      osUpdates: this.osUpdates,
      platformServices: this.platformServices,
      osSecrets: this.osSecrets,
      controlPlaneIps: this.controlPlaneIps,
      nodePools: this.nodePools,
      nodes: this.nodes,
      timings: this.timings,
      expiresAt: this.expiresAt,
      ...ownOutputs?.(this),
    });
  }
}
