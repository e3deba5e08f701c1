import type { PlatformServicesArgs } from "@minos/core";
import { FlatcarCluster } from "@minos/flatcar";
import { describe, expect, it } from "vitest";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, plain, resolved } from "../../../test/support/pulumi-mocks.js";
import { CCM_CONTROL_PLANE_POLICY } from "../src/ccm-policy.js";
import { cloudControllerValues } from "../src/cloud-controller.js";
import { ebsCsiValues } from "../src/ebs-csi.js";
import { EBS_CSI_DRIVER_POLICY } from "../src/ebs-csi-policy.js";
import { aws } from "../src/index.js";
import {
  AWS_CCM_CHART_REPO,
  AWS_CCM_CHART_VERSION,
  AWS_CCM_IMAGE,
  AWS_EBS_CSI_CHART_REPO,
  AWS_EBS_CSI_CHART_VERSION,
  AWS_EBS_CSI_IMAGE,
} from "../src/versions.js";
import { chartValues, fixture, unknownKeys } from "./support/chart-values.js";

/** Upstream's control-plane policy: the first JSON block of cloud-provider-aws' prerequisites. */
const upstreamCcmPolicy = () => {
  const page = fixture("ccm-prerequisites.md");
  const section = page.slice(page.indexOf("**Control Plane Policy**"));
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("no Control Plane Policy block in the fixture");
  return JSON.parse(block);
};
const upstreamEbsPolicy = () => JSON.parse(fixture("AmazonEBSCSIDriverPolicyV2.json"));
const ccmChartValues = () => chartValues("ccm-values.yaml");
const ebsChartValues = () => chartValues("ebs-csi-values.yaml");

const CLUSTER = "svc";
const OWNED = `kubernetes.io/cluster/${CLUSTER}`;
const ALL_ON = { controller: true, volumes: true, loadBalancers: true, autoscaler: false };

/** One Flatcar cluster on AWS under fresh mocks, once nothing new registers. */
async function build(services?: PlatformServicesArgs): Promise<RegisteredResource[]> {
  const registered = installMocks({ stack: `services-${JSON.stringify(services ?? {})}` });
  const cluster = new FlatcarCluster(CLUSTER, {
    platform: aws(),
    controlPlane: { count: 1 },
    nodePools: { general: { count: 1 } },
    ...(services !== undefined && { platformServices: services }),
  });
  await resolved(cluster.nodeConfigs);
  for (let seen = -1; seen !== registered.length; ) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 200));
  }
  return registered;
}

/** What the platform's add-ons registered, by type and name. */
const addons = (registered: RegisteredResource[]) =>
  registered
    .filter((r) => r.type.startsWith("kubernetes:") && /-(aws-|ebs-gp3)/.test(r.name))
    .map((r) => `${r.type} ${r.name}`)
    .sort();

const one = (registered: RegisteredResource[], type: string, name: string) => {
  const found = registered.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return plain<Record<string, unknown>>(found[0]?.inputs);
};

const rolePolicies = (registered: RegisteredResource[]) =>
  Object.fromEntries(
    registered
      .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")
      .map((r) => [r.name, JSON.parse(String(plain<{ policy: string }>(r.inputs).policy))]),
  );

describe("AWS platform services", () => {
  it("offers the controller, volumes, load balancers and the autoscaler", () => {
    expect(aws().services).toEqual(["controller", "volumes", "loadBalancers", "autoscaler"]);
  });

  it("all on (the default): the cloud controller, the EBS driver, its StorageClass and their IAM", async () => {
    const registered = await build();
    expect(addons(registered)).toEqual(
      [
        `kubernetes:core/v1:ConfigMap ${CLUSTER}-aws-cloud-config`,
        `kubernetes:helm.sh/v3:Release ${CLUSTER}-aws-cloud-controller`,
        `kubernetes:helm.sh/v3:Release ${CLUSTER}-aws-ebs-csi`,
        `kubernetes:apps/v1:DeploymentPatch ${CLUSTER}-aws-ebs-csi-host-network`,
        `kubernetes:storage.k8s.io/v1:StorageClass ${CLUSTER}-ebs-gp3`,
      ].sort(),
    );
    expect(addons(await build(ALL_ON))).toEqual(addons(registered));

    const ccm = one(registered, "kubernetes:helm.sh/v3:Release", `${CLUSTER}-aws-cloud-controller`);
    expect(ccm).toMatchObject({
      chart: "aws-cloud-controller-manager",
      version: AWS_CCM_CHART_VERSION,
      repositoryOpts: { repo: AWS_CCM_CHART_REPO },
      namespace: "kube-system",
      values: cloudControllerValues(CLUSTER, ALL_ON),
    });
    expect(ccm.skipAwait).toBeFalsy();
    expect(ccm.atomic).toBeFalsy();
    expect(ccm.waitForJobs).toBeFalsy();
    const ebs = one(registered, "kubernetes:helm.sh/v3:Release", `${CLUSTER}-aws-ebs-csi`);
    expect(ebs).toMatchObject({
      chart: "aws-ebs-csi-driver",
      version: AWS_EBS_CSI_CHART_VERSION,
      repositoryOpts: { repo: AWS_EBS_CSI_CHART_REPO },
      namespace: "kube-system",
      values: ebsCsiValues(CLUSTER),
      skipAwait: true,
    });
    expect(ebs.atomic).toBeFalsy();

    const policies = rolePolicies(registered);
    expect(Object.keys(policies).sort()).toEqual(
      [
        `${CLUSTER}-control-plane-cloud-controller`,
        `${CLUSTER}-control-plane-ebs-csi`,
        `${CLUSTER}-control-plane-payloads`,
        `${CLUSTER}-worker-payloads`,
      ].sort(),
    );
    expect(policies[`${CLUSTER}-control-plane-cloud-controller`]).toEqual(upstreamCcmPolicy());
    expect(policies[`${CLUSTER}-control-plane-ebs-csi`]).toEqual(upstreamEbsPolicy());
  });

  it("controller off: none of it, and no IAM beyond the payloads", async () => {
    const registered = await build({ controller: false, volumes: false, loadBalancers: false });
    expect(addons(registered)).toEqual([]);
    expect(Object.keys(rolePolicies(registered)).sort()).toEqual([
      `${CLUSTER}-control-plane-payloads`,
      `${CLUSTER}-worker-payloads`,
    ]);
  });

  it("volumes off: the controller alone, without the EBS driver's policy", async () => {
    const registered = await build({ volumes: false });
    expect(addons(registered)).toEqual(
      [
        `kubernetes:core/v1:ConfigMap ${CLUSTER}-aws-cloud-config`,
        `kubernetes:helm.sh/v3:Release ${CLUSTER}-aws-cloud-controller`,
      ].sort(),
    );
    expect(Object.keys(rolePolicies(registered))).not.toContain(`${CLUSTER}-control-plane-ebs-csi`);
    expect(Object.keys(rolePolicies(registered))).toContain(
      `${CLUSTER}-control-plane-cloud-controller`,
    );
  });

  it("load balancers off: the controller runs without its service controller", async () => {
    const registered = await build({ loadBalancers: false });
    const ccm = one(registered, "kubernetes:helm.sh/v3:Release", `${CLUSTER}-aws-cloud-controller`);
    const args = (ccm.values as { args: string[] }).args;
    expect(args).toContain("--controllers=*,-service-lb-controller");
    expect(addons(registered)).toHaveLength(5);
    const allOn = cloudControllerValues(CLUSTER, ALL_ON).args;
    expect(allOn.some((a) => a.startsWith("--controllers"))).toBe(false);
  });

  it("refuses volumes or load balancers asked for without the controller, before anything exists", () => {
    const refused = (services: PlatformServicesArgs) => {
      const registered = installMocks({ stack: "refused" });
      try {
        new FlatcarCluster(CLUSTER, {
          platform: aws(),
          controlPlane: { count: 1 },
          platformServices: services,
        });
      } catch (e) {
        expect(registered).toEqual([]);
        return e as { name: string; argument: string; message: string };
      }
      throw new Error(`accepted ${JSON.stringify(services)}`);
    };
    expect(refused({ controller: false, volumes: true })).toMatchObject({
      name: "MinosError",
      argument: "platformServices.volumes",
    });
    expect(refused({ controller: false, loadBalancers: true })).toMatchObject({
      name: "MinosError",
      argument: "platformServices.loadBalancers",
    });
    expect(refused({ controller: false, volumes: true }).message).toMatch(
      /needs platformServices\.controller/,
    );
  });

  it("sets only keys the pinned charts have, and keeps what their defaults rely on", () => {
    const ccmChart = ccmChartValues();
    const ccm = cloudControllerValues(CLUSTER, ALL_ON);
    // hostNetworking is read by the chart's DaemonSet, though its values.yaml leaves it out.
    expect(unknownKeys(ccm, ccmChart)).toEqual(["hostNetworking"]);
    expect(fixture("ccm-daemonset.yaml.tpl")).toMatch(
      /\{\{- if \.Values\.hostNetworking \}\}\n\s+hostNetwork: true/,
    );
    // On control-plane nodes by the chart's own selector; its taints and args kept.
    expect(ccmChart.nodeSelector).toEqual({ "node-role.kubernetes.io/control-plane": "" });
    expect(ccm.tolerations).toEqual(expect.arrayContaining(ccmChart.tolerations as unknown[]));
    expect(ccm.args).toEqual(expect.arrayContaining(ccmChart.args as string[]));
    expect(`${ccm.image.repository}:${ccm.image.tag}`).toBe(AWS_CCM_IMAGE);
    expect((ccmChart.image as { repository: string }).repository).toBe(ccm.image.repository);

    const ebsChart = ebsChartValues();
    const ebs = ebsCsiValues(CLUSTER);
    expect(unknownKeys(ebs, ebsChart)).toEqual([]);
    const chartController = ebsChart.controller as { tolerations: unknown[] };
    expect(ebs.controller.tolerations).toEqual(expect.arrayContaining(chartController.tolerations));
    expect(`${ebs.image.repository}:${ebs.image.tag}`).toBe(AWS_EBS_CSI_IMAGE);
    expect((ebsChart.image as { repository: string }).repository).toBe(ebs.image.repository);
    // The patch names the chart's Deployment, whose template sets no hostNetwork Helm would own.
    const controller = fixture("ebs-csi-controller.yaml.tpl");
    expect(controller).toMatch(
      /kind: Deployment\napiVersion: apps\/v1\nmetadata:\n {2}name: ebs-csi-controller\n/,
    );
    expect(controller).not.toMatch(/hostNetwork/);
  });

  it("patches the EBS controller onto the host network and makes gp3 the default class", async () => {
    const registered = await build();
    expect(
      one(registered, "kubernetes:apps/v1:DeploymentPatch", `${CLUSTER}-aws-ebs-csi-host-network`),
    ).toMatchObject({
      metadata: { name: "ebs-csi-controller", namespace: "kube-system" },
      spec: { template: { spec: { hostNetwork: true } } },
    });
    expect(
      one(registered, "kubernetes:storage.k8s.io/v1:StorageClass", `${CLUSTER}-ebs-gp3`),
    ).toEqual({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: {
        name: "gp3",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    });
  });

  it("gives the controller the cluster ID its resources are tagged with", async () => {
    const registered = await build();
    const config = one(registered, "kubernetes:core/v1:ConfigMap", `${CLUSTER}-aws-cloud-config`);
    expect(config).toMatchObject({
      metadata: { name: "aws-cloud-controller-manager-config", namespace: "kube-system" },
      data: { "cloud.conf": `[Global]\nKubernetesClusterID = ${CLUSTER}\n` },
    });
    const ccm = cloudControllerValues(CLUSTER, ALL_ON);
    expect(ccm.args).toContain("--cloud-config=/etc/aws-cloud-controller-manager/cloud.conf");
    expect(ccm.extraVolumeMounts).toEqual([
      { name: "cloud-config", mountPath: "/etc/aws-cloud-controller-manager", readOnly: true },
    ]);
    expect(ebsCsiValues(CLUSTER).controller.k8sTagClusterId).toBe(CLUSTER);

    const tagsOf = (type: string) =>
      registered
        .filter((r) => r.type === type)
        .map((r) => ({ name: r.name, tags: plain<Record<string, string>>(r.inputs.tags) }));
    // Every instance: the control plane's, and each pool's through its launch template.
    const instances = tagsOf("aws:ec2/instance:Instance");
    expect(instances.length).toBe(1);
    for (const i of instances) expect(i.tags[OWNED]).toBe("owned");
    const templates = registered.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
    expect(templates.length).toBe(1);
    for (const t of templates) {
      const specs = plain<{ resourceType: string; tags: Record<string, string> }[]>(
        t.inputs.tagSpecifications,
      );
      expect(specs.find((s) => s.resourceType === "instance")?.tags[OWNED]).toBe("owned");
    }
    // Subnets: owned, and each with the role Services' load balancers are placed by.
    const subnets = tagsOf("aws:ec2/subnet:Subnet");
    expect(subnets.map((s) => s.name).sort()).toEqual([
      `${CLUSTER}-private-0`,
      `${CLUSTER}-private-1`,
      `${CLUSTER}-public-0`,
      `${CLUSTER}-public-1`,
    ]);
    for (const s of subnets) {
      expect(s.tags[OWNED]).toBe("owned");
      const role = s.name.includes("-public-")
        ? "kubernetes.io/role/elb"
        : "kubernetes.io/role/internal-elb";
      expect(s.tags[role]).toBe("1");
    }
    // Security groups: the nodes' alone is the cluster's, and it is on every node.
    const groups = tagsOf("aws:ec2/securityGroup:SecurityGroup");
    expect(groups.filter((g) => OWNED in g.tags).map((g) => g.name)).toEqual([`${CLUSTER}-nodes`]);
    const owned = new Set(groups.filter((g) => OWNED in g.tags).map((g) => `${g.name}-id`));
    const controlPlane = registered.find((r) => r.type === "aws:ec2/instance:Instance");
    const onControlPlane = plain<string[]>(controlPlane?.inputs.vpcSecurityGroupIds);
    expect(onControlPlane).toHaveLength(2);
    expect(onControlPlane.filter((id) => owned.has(id))).toHaveLength(1);
    const nics = plain<{ securityGroups: string[] }[]>(templates[0]?.inputs.networkInterfaces);
    expect(nics[0]?.securityGroups.filter((id) => owned.has(id))).toHaveLength(1);
  });

  it("keeps the policies equal to upstream's documents", () => {
    expect(CCM_CONTROL_PLANE_POLICY).toEqual(upstreamCcmPolicy());
    expect(EBS_CSI_DRIVER_POLICY).toEqual(upstreamEbsPolicy());
  });
});
