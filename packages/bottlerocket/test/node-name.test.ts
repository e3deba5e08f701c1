import { aws, eksCluster } from "@minos/aws";
import { FlatcarCluster } from "@minos/flatcar";
import * as awsSdk from "@pulumi/aws";
import { parse } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { workerContext } from "../../../test/support/context.js";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, plain, resolved } from "../../../test/support/pulumi-mocks.js";
import { BottlerocketNodeGroup, bottlerocketOs } from "../src/index.js";
import { undocumentedSettings } from "../src/settings-model.js";
import { allows, HOSTNAME_OVERRIDE_SOURCES, MANAGED_POLICY_ACTIONS, plutoNeeds } from "./pluto.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
});

const settle = () => new Promise((r) => setTimeout(r, 150));
const find = (type: string, name: string) =>
  registered.find((r) => r.type === `aws:iam/${type}` && r.name === name);
// Mocked roles answer with name `<resource>-x` and id `<resource>-id`.
const refersTo = (ref: unknown, role: string) => ref === `${role}-x` || ref === `${role}-id`;

/** The settings a pool's nodes read from user data, and every action its instance role allows. */
function pool(prefix: string) {
  const template = registered.find(
    (r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.name.startsWith(`${prefix}-`),
  );
  if (!template) throw new Error(`no launch template for ${prefix}`);
  const toml = Buffer.from(plain<string>(template.inputs.userData), "base64").toString();
  const profileArn = (template.inputs.iamInstanceProfile as { arn: string }).arn;
  const profile = find("instanceProfile:InstanceProfile", profileArn.split("/").pop() as string);
  const role = registered.find(
    (r) => r.type === "aws:iam/role:Role" && refersTo(profile?.inputs.role, r.name),
  );
  if (!role) throw new Error(`no role behind ${profileArn}`);
  const inline = registered
    .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && refersTo(r.inputs.role, role.name))
    .flatMap(
      (r) =>
        (
          JSON.parse(r.inputs.policy as string) as {
            Statement: { Effect: string; Action: string[] | string }[];
          }
        ).Statement,
    )
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => s.Action);
  const managed = registered
    .filter(
      (r) =>
        r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" &&
        refersTo(r.inputs.role, role.name),
    )
    .flatMap((r) => MANAGED_POLICY_ACTIONS[r.inputs.policyArn as string] ?? []);
  return {
    settings: parse(toml) as { settings: { kubernetes: Record<string, unknown> } },
    allowed: [...inline, ...managed],
  };
}

/** The actions pluto needs that the role does not allow. */
const missing = (p: ReturnType<typeof pool>) =>
  plutoNeeds(p.settings).actions.filter((a) => !p.allowed.some((pattern) => allows(pattern, a)));

describe("Bottlerocket names its node and starts kubelet with the permissions its pool has", () => {
  beforeAll(async () => {
    const cluster = new FlatcarCluster("nm", {
      platform: aws(),
      kubernetesVersion: "1.35.2",
      nodePools: { flatcar: { count: 1 } },
    });
    const joined = new BottlerocketNodeGroup("nmbr", {
      cluster,
      nodePools: { general: { count: 1 } },
    });
    const eks = new awsSdk.eks.Cluster("nmeks", {
      roleArn: "arn:aws:iam::111122223333:role/eks",
      version: "1.34",
      vpcConfig: { subnetIds: ["subnet-0a"] },
    });
    const onEks = new BottlerocketNodeGroup("nmek", {
      cluster: eksCluster(eks, { kubernetesVersion: "1.34.1" }),
      nodePools: { gpu: { count: 1 } },
    });
    await resolved(joined.nodeConfigs);
    await resolved(onEks.nodeConfigs);
    await settle();
  });

  it("on a minos cluster: named by instance ID from metadata, so the worker role's s3:GetObject is enough", () => {
    const p = pool("nmbr");
    expect(p.settings.settings.kubernetes["hostname-override-source"]).toBe("instance-id");
    expect(plutoNeeds(p.settings)).toEqual({ actions: [], nodeName: "instance-id" });
    expect(p.allowed).toEqual(["s3:GetObject"]);
    expect(missing(p)).toEqual([]);
  });

  it("on a minos cluster, the variant's default source would need ec2:DescribeInstances, which the role lacks", () => {
    const p = pool("nmbr");
    const withDefault = structuredClone(p.settings);
    delete withDefault.settings.kubernetes["hostname-override-source"];
    expect(missing({ ...p, settings: withDefault })).toEqual(["ec2:DescribeInstances"]);
  });

  it("on EKS: the variant's private DNS name, which AmazonEKSWorkerNodePolicy lets pluto read", () => {
    const p = pool("nmek");
    expect(p.settings.settings.kubernetes["hostname-override-source"]).toBeUndefined();
    expect(plutoNeeds(p.settings)).toEqual({
      actions: ["ec2:DescribeInstances"],
      nodeName: "private-dns-name",
    });
    expect(missing(p)).toEqual([]);
  });

  it("uses a source every supported variant's settings model accepts, aws-k8s-1.31 to 1.37", () => {
    for (let minor = 31; minor <= 37; minor++) {
      const version = `1.${minor}.0`;
      const payload = bottlerocketOs({}, { kind: "bootstrap-token" }, version).render(
        "worker",
        workerContext({ kubernetesVersion: version }),
      ).payload;
      const settings = parse(payload) as { settings: { kubernetes: Record<string, unknown> } };
      expect(HOSTNAME_OVERRIDE_SOURCES).toContain(
        settings.settings.kubernetes["hostname-override-source"],
      );
      expect(undocumentedSettings(settings)).toEqual([]);
      expect(plutoNeeds(settings).actions).toEqual([]);
    }
  });
});
