import type { PlatformServicesArgs } from "@minos/core";
import { MAX_KUBERNETES_MINOR, MIN_KUBERNETES_MINOR, NodeGroup } from "@minos/core";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { describe, expect, it } from "vitest";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, plain, resolved } from "../../../test/support/pulumi-mocks.js";
import { clusterAutoscalerImage, clusterAutoscalerValues } from "../src/cluster-autoscaler.js";
import { clusterAutoscalerPolicy } from "../src/cluster-autoscaler-policy.js";
import { aws } from "../src/index.js";
import {
  CLUSTER_AUTOSCALER_CHART_REPO,
  CLUSTER_AUTOSCALER_CHART_VERSION,
  CLUSTER_AUTOSCALER_IMAGE_REPO,
  CLUSTER_AUTOSCALER_RELEASES,
} from "../src/versions.js";
import { chartValues, fixture, unknownKeys } from "./support/chart-values.js";

const CLUSTER = "scale";
const RELEASE = `${CLUSTER}-aws-cluster-autoscaler`;
const ENABLED = "k8s.io/cluster-autoscaler/enabled";
const OWNED_BY_CLUSTER = `k8s.io/cluster-autoscaler/${CLUSTER}`;
const CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
/** What the mocks answer for the provider's region (`aws:index/getRegion`). */
const MOCK_REGION = "us-east-1";

/** Waits until nothing new registers. */
async function settle(registered: RegisteredResource[]): Promise<void> {
  for (let seen = -1; seen !== registered.length; ) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A Flatcar cluster on AWS with a fixed pool and an autoscaled one, under fresh mocks. */
async function build(
  services?: PlatformServicesArgs,
  kubernetesVersion?: string,
): Promise<RegisteredResource[]> {
  const registered = installMocks({
    stack: `autoscaler-${JSON.stringify(services ?? {})}-${kubernetesVersion}`,
  });
  const cluster = new FlatcarCluster(CLUSTER, {
    platform: aws(),
    controlPlane: { count: 1 },
    nodePools: {
      fixed: { count: 2 },
      elastic: { count: 2, minCount: 1, maxCount: 6 },
    },
    ...(services !== undefined && { platformServices: services }),
    ...(kubernetesVersion !== undefined && { kubernetesVersion }),
  });
  await resolved(cluster.nodeConfigs);
  await settle(registered);
  return registered;
}

const releases = (registered: RegisteredResource[]) =>
  registered.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === RELEASE);

const release = (registered: RegisteredResource[]) => {
  const found = releases(registered);
  expect(found).toHaveLength(1);
  return plain<{
    chart: string;
    version: string;
    repositoryOpts: { repo: string };
    namespace: string;
    skipAwait: boolean;
    values: ReturnType<typeof clusterAutoscalerValues>;
  }>(found[0]?.inputs);
};

const rolePolicies = (registered: RegisteredResource[]) =>
  Object.fromEntries(
    registered
      .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")
      .map((r) => [r.name, JSON.parse(String(plain<{ policy: string }>(r.inputs).policy))]),
  );

/** A pool's auto-scaling group: its bounds and tags. */
const group = (registered: RegisteredResource[], pool: string) => {
  const found = registered.filter(
    (r) => r.type === "aws:autoscaling/group:Group" && r.name === `${CLUSTER}-worker-${pool}`,
  );
  expect(found, pool).toHaveLength(1);
  const inputs = plain<{
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
    tags: { key: string; value: string; propagateAtLaunch: boolean }[];
  }>(found[0]?.inputs);
  return { ...inputs, tags: Object.fromEntries(inputs.tags.map((t) => [t.key, t.value])) };
};

/** Upstream's recommended policy: the JSON block under its heading in the AWS README. */
const upstreamPolicy = () => {
  const page = fixture("cluster-autoscaler-aws-readme.txt");
  const section = page.slice(
    page.indexOf("#### Full Cluster Autoscaler Features Policy (Recommended)"),
  );
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("no recommended policy in the fixture");
  return JSON.parse(block) as { Version: string; Statement: Record<string, unknown>[] };
};

describe("cluster-autoscaler on AWS", () => {
  it("is off unless asked: no release, no IAM for it, and no pool says it is autoscaled", async () => {
    const registered = await build();
    expect(releases(registered)).toEqual([]);
    expect(Object.keys(rolePolicies(registered))).not.toContain(
      `${CLUSTER}-control-plane-cluster-autoscaler`,
    );
    expect(JSON.stringify(rolePolicies(registered))).not.toMatch(/SetDesiredCapacity/);
    const elastic = group(registered, "elastic");
    // The pool is still the cluster's, for an autoscaler of the user's own; none of ours sizes it.
    expect(elastic.tags[OWNED_BY_CLUSTER]).toBe("owned");
    expect(Object.keys(elastic.tags)).not.toContain(ENABLED);
    expect(
      Object.keys(group(registered, "fixed").tags).filter((k) => k.startsWith("k8s.io/")),
    ).toEqual([]);
  });

  it("asked for: upstream's chart through the cluster's provider, for its region and minor", async () => {
    const registered = await build({ autoscaler: true });
    const ca = release(registered);
    expect(ca).toMatchObject({
      chart: "cluster-autoscaler",
      version: CLUSTER_AUTOSCALER_CHART_VERSION,
      repositoryOpts: { repo: CLUSTER_AUTOSCALER_CHART_REPO },
      namespace: "kube-system",
      skipAwait: true,
    });
    // Flatcar's default release is 1.37, which has no autoscaler line of its own yet.
    expect(ca.values).toEqual(clusterAutoscalerValues(CLUSTER, MOCK_REGION, { minor: 37 }));
    expect(ca.values.image).toEqual({ repository: CLUSTER_AUTOSCALER_IMAGE_REPO, tag: "v1.36.1" });
    expect(ca.values).toMatchObject({
      cloudProvider: "aws",
      awsRegion: MOCK_REGION,
      autoDiscovery: { clusterName: CLUSTER, tags: [ENABLED, OWNED_BY_CLUSTER] },
      hostNetwork: true,
      nodeSelector: { [CONTROL_PLANE]: "" },
      tolerations: [{ key: CONTROL_PLANE, operator: "Exists", effect: "NoSchedule" }],
    });
    // Only the autoscaled pool is found by it, bounded by the pool's own counts.
    const elastic = group(registered, "elastic");
    expect(elastic).toMatchObject({ minSize: 1, maxSize: 6, desiredCapacity: 2 });
    expect(elastic.tags).toMatchObject({ [ENABLED]: "true", [OWNED_BY_CLUSTER]: "owned" });
    const fixed = group(registered, "fixed");
    expect(fixed).toMatchObject({ minSize: 2, maxSize: 2 });
    expect(Object.keys(fixed.tags).filter((k) => k.startsWith("k8s.io/"))).toEqual([]);
    // The cloud controller and the rest stay as they were.
    expect(
      registered.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.name),
    ).toEqual(
      expect.arrayContaining([`${CLUSTER}-aws-cloud-controller`, `${CLUSTER}-aws-ebs-csi`]),
    );
  });

  it("runs the release of the cluster's own Kubernetes minor", async () => {
    const ca = release(await build({ autoscaler: true }, "1.33.4"));
    expect(ca.values.image).toEqual({ repository: CLUSTER_AUTOSCALER_IMAGE_REPO, tag: "v1.33.6" });
  });

  it("gives the control-plane role upstream's policy, resizing only this cluster's groups", async () => {
    const registered = await build({ autoscaler: true });
    const policies = rolePolicies(registered);
    const upstream = upstreamPolicy();
    const [read, resize] = upstream.Statement;
    // Upstream's two statements; the second, which it says to narrow, narrowed by the group's tag.
    expect(policies[`${CLUSTER}-control-plane-cluster-autoscaler`]).toEqual({
      ...upstream,
      Statement: [
        read,
        {
          ...resize,
          Condition: { StringEquals: { [`aws:ResourceTag/${OWNED_BY_CLUSTER}`]: "owned" } },
        },
      ],
    });
    expect(resize?.Action).toEqual([
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]);
    expect(clusterAutoscalerPolicy(CLUSTER)).toEqual(
      policies[`${CLUSTER}-control-plane-cluster-autoscaler`],
    );
    // Workers get nothing of it, and no policy of the control plane may retag a group.
    expect(Object.keys(policies).filter((n) => n.startsWith(`${CLUSTER}-worker-`))).toEqual([
      `${CLUSTER}-worker-payloads`,
    ]);
    const actions = Object.values(policies).flatMap((p) =>
      (p as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => s.Action),
    );
    expect(
      actions.filter((a) => /^autoscaling:(CreateOrUpdateTags|DeleteTags|\*)$/.test(a)),
    ).toEqual([]);
  });

  it("refuses the autoscaler without the controller, before anything exists", () => {
    for (const services of [
      { controller: false, autoscaler: true },
      { controller: false, volumes: false, loadBalancers: false, autoscaler: true },
    ]) {
      const registered = installMocks({ stack: "refused" });
      let error: unknown;
      try {
        new FlatcarCluster(CLUSTER, {
          platform: aws(),
          controlPlane: { count: 1 },
          nodePools: { elastic: { count: 1, maxCount: 3 } },
          platformServices: services,
        });
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(services)).toMatchObject({
        name: "MinosError",
        argument: "platformServices.autoscaler",
      });
      expect((error as Error).message).toMatch(/needs platformServices\.controller/);
      expect(registered).toEqual([]);
    }
  });

  it("tells node groups joining the cluster whether it autoscales their pools", async () => {
    const registered = installMocks({ stack: "autoscaler-node-groups" });
    const joinTo = async (name: string, services: PlatformServicesArgs) => {
      const cluster = new FlatcarCluster(name, {
        platform: aws(),
        controlPlane: { count: 1 },
        platformServices: services,
      });
      const ng = new NodeGroup("minos:test:NodeGroup", `${name}-ng`, flatcarOs(), {
        cluster,
        nodePools: { extra: { count: 1, maxCount: 4 } },
      });
      await resolved(ng.nodeConfigs);
      await settle(registered);
      const asg = registered.find(
        (r) => r.type === "aws:autoscaling/group:Group" && r.name === `${name}-ng-extra`,
      );
      const tags = plain<{ key: string; value: string }[]>(asg?.inputs.tags);
      return {
        site: (await resolved(cluster.join)).site,
        tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
      };
    };
    const on = await joinTo("on", { autoscaler: true });
    expect(on.site.autoscaler).toBe("true");
    expect(on.tags).toMatchObject({ [ENABLED]: "true", "k8s.io/cluster-autoscaler/on": "owned" });
    const off = await joinTo("off", {});
    expect(off.site.autoscaler).toBe("false");
    expect(off.tags["k8s.io/cluster-autoscaler/off"]).toBe("owned");
    expect(Object.keys(off.tags)).not.toContain(ENABLED);
  });
});

describe("cluster-autoscaler's pinned chart and releases", () => {
  it("sets only keys the chart has, and the ones its AWS template reads", () => {
    const chart = chartValues("cluster-autoscaler-values.yaml");
    const ours = clusterAutoscalerValues(CLUSTER, MOCK_REGION, { minor: 36 });
    expect(unknownKeys(ours, chart)).toEqual([]);
    expect(chart.cloudProvider).toBe("aws");
    expect((chart.image as { repository: string }).repository).toBe(CLUSTER_AUTOSCALER_IMAGE_REPO);
    // The chart's own discovery tags, rendered for the cluster, are the ones we name and set.
    const theirs = (chart.autoDiscovery as { tags: string[] }).tags.map((t) =>
      t.replace("{{ .Values.autoDiscovery.clusterName }}", CLUSTER),
    );
    expect(ours.autoDiscovery.tags).toEqual(theirs);
    const template = fixture("cluster-autoscaler-deployment.yaml.tpl");
    for (const read of [
      /\{\{- if eq \.Values\.cloudProvider "aws" \}\}\n\s+\{\{- if \.Values\.autoDiscovery\.clusterName \}\}\n\s+- --node-group-auto-discovery=asg:tag=\{\{ tpl \(join "," \.Values\.autoDiscovery\.tags\) \. \}\}/,
      /- name: AWS_REGION\n\s+value: "\{\{ tpl \.Values\.awsRegion \$ \}\}"/,
      /hostNetwork: \{\{ \.Values\.hostNetwork \}\}/,
      /dnsPolicy: "\{\{ \.Values\.dnsPolicy \}\}"/,
      /strategy:\n\s+\{\{ toYaml \.Values\.updateStrategy/,
      /nodeSelector:\n\{\{ toYaml \.Values\.nodeSelector/,
      /tolerations:\n\{\{ toYaml \.Values\.tolerations/,
      /image: "\{\{ \.Values\.image\.repository \}\}:\{\{ \.Values\.image\.tag \}\}"/,
    ])
      expect(template).toMatch(read);
    // Port 8085 on the host: why an update must replace the pod, not add one beside it.
    expect(template).toMatch(/containerPort: 8085/);
    expect(ours.updateStrategy).toEqual({ type: "Recreate" });
  });

  it("pins the newest release of each minor minos runs, the newest line below it where none exists", () => {
    const tags = fixture("cluster-autoscaler-tags.txt")
      .split("\n")
      .filter((l) => l.startsWith("cluster-autoscaler-"))
      .map((l) => l.replace("cluster-autoscaler-", ""));
    const newest = (minor: number) =>
      tags
        .filter((t) => t.startsWith(`1.${minor}.`))
        .sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]))
        .at(-1);
    const minors = Object.keys(CLUSTER_AUTOSCALER_RELEASES).map(Number);
    expect(minors).toEqual(
      [...Array(MAX_KUBERNETES_MINOR - MIN_KUBERNETES_MINOR + 1).keys()].map(
        (i) => MIN_KUBERNETES_MINOR + i,
      ),
    );
    for (const minor of minors) {
      let line = minor;
      while (newest(line) === undefined && line > MIN_KUBERNETES_MINOR) line--;
      expect(CLUSTER_AUTOSCALER_RELEASES[minor], `1.${minor}`).toBe(newest(line));
      expect(clusterAutoscalerImage({ minor }).tag).toBe(`v${newest(line)}`);
    }
  });
});
