import { aws, eksCluster } from "@minos/aws";
import { FlatcarCluster } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { TalosCluster } from "@minos/talos";
import * as awsSdk from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { poolTokenOf } from "../../../test/support/pool-tokens.js";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  installMocks,
  invoked,
  isSecretInput,
  plain,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import { BottlerocketNodeGroup } from "../src/index.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
});

const of = (prefix: string, type: string) =>
  registered.filter((r) => r.type === type && r.name.startsWith(`${prefix}-`));
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("BottlerocketNodeGroup", () => {
  it("joins a minos cluster on AWS: its network, a TLS-bootstrap settings TOML, two encrypted volumes", async () => {
    const cluster = new FlatcarCluster("mix", {
      platform: aws(),
      kubernetesVersion: "1.35.2",
      nodePools: { flatcar: { count: 1 } },
    });
    const group = new BottlerocketNodeGroup("rocket", {
      cluster,
      nodePools: { general: { count: 2, labels: { "minos.dev/os": "bottlerocket" } } },
    });
    expect(group.variant).toBe("aws-k8s-1.35");
    await resolved(group.nodeConfigs);
    await settle();

    expect(invoked.map((i) => i.inputs)).toContainEqual({
      name: "/aws/service/bottlerocket/aws-k8s-1.35/x86_64/latest/image_id",
    });
    const [template] = of("rocket", "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template?.inputs.imageId).toBe("ami-0f1a7ca70000000a1");
    const disks = template?.inputs.blockDeviceMappings as {
      deviceName: string;
      ebs: Record<string, unknown>;
    }[];
    expect(disks.map((d) => d.deviceName)).toEqual(["/dev/xvda", "/dev/xvdb"]);
    for (const d of disks) expect(d.ebs.encrypted).toBe("true");
    expect(disks[0]?.ebs.volumeSize).toBeUndefined();
    expect(disks[1]?.ebs.volumeSize).toBe(30);
    // The cluster's own node security group: pod traffic flows between OSes.
    const groupsOf = (r: RegisteredResource | undefined) =>
      (r?.inputs.networkInterfaces as { securityGroups: string[] }[] | undefined)?.[0]
        ?.securityGroups;
    const [flatcarTemplate] = of("mix", "aws:ec2/launchTemplate:LaunchTemplate");
    expect(groupsOf(template)).toEqual(groupsOf(flatcarTemplate));
    expect(groupsOf(template)).toBeDefined();

    // The settings in user-data: secret (they carry the pool's bootstrap token), TLS bootstrap.
    expect(isSecretInput(template?.inputs.userData)).toBe(true);
    const toml = Buffer.from(plain<string>(template?.inputs.userData), "base64").toString();
    const join = await resolved(cluster.join);
    const k = (parse(toml).settings as { kubernetes: Record<string, unknown> }).kubernetes;
    const own = poolTokenOf(registered, "rocket-general");
    expect(k).toMatchObject({
      "cluster-name": "mix",
      "authentication-mode": "tls",
      "bootstrap-token": own.token,
      "cluster-dns-ip": "10.96.0.10",
      "api-server": `https://${join.endpoint.host}:6443`,
      // The cluster runs AWS's cloud controller, which initializes this node too.
      "cloud-provider": "external",
      "hostname-override-source": "instance-id",
    });
    expect(join.externalCloudProvider).toBe(true);
    // Its own token, not the Flatcar pool's: TLS bootstrap only, in kubeadm's node group.
    expect(own.token).not.toBe(poolTokenOf(registered, "mix-worker-flatcar").token);
    expect(own.data).toMatchObject({
      "usage-bootstrap-authentication": "true",
      "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token",
    });
    expect(own.data["usage-bootstrap-signing"]).toBeUndefined();
    expect(await pulumi.isSecret(group.nodeConfigs)).toBe(true);

    // Every pool rolls, new machines first, when its template changes: one machine of two
    // at a time here. Bottlerocket's template follows its AMI, so a new one rolls it too.
    const refresh = (prefix: string) =>
      of(prefix, "aws:autoscaling/group:Group")[0]?.inputs.instanceRefresh as
        | { strategy: string; preferences: Record<string, unknown> }
        | undefined;
    expect(refresh("rocket")).toEqual({
      strategy: "Rolling",
      preferences: {
        minHealthyPercentage: 100,
        maxHealthyPercentage: 150,
        instanceWarmup: "300",
        skipMatching: true,
      },
    });
    expect(refresh("mix")?.preferences).toMatchObject({ maxHealthyPercentage: 200 });
  });

  it("follows the minos cluster's osUpdates: off gives a new AMI to new machines only", async () => {
    const cluster = new FlatcarCluster("still", {
      platform: aws(),
      kubernetesVersion: "1.35.2",
      osUpdates: { mode: "off" },
    });
    const group = new BottlerocketNodeGroup("stillbr", {
      cluster,
      nodePools: { general: { count: 1 } },
    });
    await resolved(group.nodeConfigs);
    await settle();
    // EC2 resolves the parameter as each machine launches: a release changes no template.
    expect(of("stillbr", "aws:ec2/launchTemplate:LaunchTemplate")[0]?.inputs.imageId).toBe(
      "resolve:ssm:/aws/service/bottlerocket/aws-k8s-1.35/x86_64/latest/image_id",
    );
    // What the program changes (settings, instance type) still rolls the pool.
    expect(of("stillbr", "aws:autoscaling/group:Group")[0]?.inputs.instanceRefresh).toMatchObject({
      strategy: "Rolling",
    });
    expect(
      () =>
        new BottlerocketNodeGroup("stillbr2", {
          cluster,
          nodePools: { general: { count: 1 } },
          osUpdates: { mode: "coordinated" },
        } as never),
    ).toThrow(/osUpdates.*follow the cluster's osUpdates/);
  });

  it("joins EKS: node role with the worker policies, an access entry, nodes in the cluster's subnets", async () => {
    const eks = new awsSdk.eks.Cluster("prod", {
      roleArn: "arn:aws:iam::111122223333:role/eks",
      version: "1.34",
      vpcConfig: { subnetIds: ["subnet-0a", "subnet-0b"] },
    });
    const group = new BottlerocketNodeGroup("br", {
      cluster: eksCluster(eks, { kubernetesVersion: "1.34.1" }),
      flavor: "nvidia",
      nodePools: { gpu: { count: 1, machineType: "g5.xlarge" } },
    });
    expect(group.variant).toBe("aws-k8s-1.34-nvidia");
    await resolved(group.nodeConfigs);
    await settle();
    expect(
      of("br", "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn),
    ).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
    const [entry] = of("br", "aws:eks/accessEntry:AccessEntry");
    expect(entry?.inputs).toMatchObject({ type: "EC2_LINUX" });
    const [asg] = of("br", "aws:autoscaling/group:Group");
    expect(asg?.inputs.vpcZoneIdentifiers).toEqual(["subnet-0a", "subnet-0b"]);
    const [template] = of("br", "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template?.inputs.instanceType).toBe("g5.xlarge");
    const toml = Buffer.from(plain<string>(template?.inputs.userData), "base64").toString();
    const k = (parse(toml).settings as { kubernetes: Record<string, unknown> }).kubernetes;
    expect(k["cluster-name"]).toBe("prod");
    expect(k["api-server"]).toBe("https://PROD0123.gr7.us-east-1.eks.amazonaws.com:443");
    expect(Buffer.from(k["cluster-certificate"] as string, "base64").toString()).toContain("eks");
    expect(k["bootstrap-token"]).toBeUndefined();
    // EKS runs its own controller; the variant's own cloud-provider stands.
    expect(k["cloud-provider"]).toBeUndefined();
    // EKS nodes join with their IAM role: no token, no Secret.
    expect(of("br", "kubernetes:core/v1:Secret")).toEqual([]);
    expect(group.poolTokens).toEqual({});
    expect(
      () =>
        new BottlerocketNodeGroup("br2", {
          cluster: eksCluster(eks, { kubernetesVersion: "1.34.1" }),
          nodePools: { gpu: { count: 1, bootstrapToken: { generation: 1 } } },
        }),
    ).toThrow(/nodePools\.gpu\.bootstrapToken.*join without a bootstrap token/);
    expect(asg?.inputs.instanceRefresh).toMatchObject({ strategy: "Rolling" });
  });

  it("joins a Talos cluster only with a CNI that installs its own binary: refuses Talos's Flannel before anything is made", async () => {
    const withFlannel = new TalosCluster("tf", {
      platform: aws(),
      kubernetesVersion: "1.35.2",
      nodePools: {},
    });
    expect(withFlannel.cni).toEqual({ plugin: "flannel", deployedBy: "os" });
    await resolved(withFlannel.nodeConfigs);
    await settle();
    const before = registered.length;
    let refused: unknown;
    try {
      new BottlerocketNodeGroup("tfbr", { cluster: withFlannel, nodePools: { a: { count: 1 } } });
    } catch (e) {
      refused = e;
    }
    expect(refused).toMatchObject({
      name: "MinosError",
      argument: "cluster.cni",
      value: "flannel",
    });
    expect(String((refused as Error).message)).toMatch(
      /without the flannel CNI binary.*cni: "cilium"/,
    );
    await settle();
    expect(registered.filter((r) => r.name.startsWith("tfbr"))).toEqual([]);
    expect(registered.length).toBe(before);

    // With Cilium, minos installs it and its agent brings its own CNI binary.
    const withCilium = new TalosCluster("tc", {
      platform: aws(),
      kubernetesVersion: "1.35.2",
      cni: "cilium",
      nodePools: {},
    });
    expect(withCilium.cni).toEqual({ plugin: "cilium", deployedBy: "minos" });
    const group = new BottlerocketNodeGroup("tcbr", {
      cluster: withCilium,
      nodePools: { a: { count: 1 } },
    });
    expect(Object.keys(await resolved(group.nodeConfigs))).toEqual(["worker/a"]);
    await settle();
    // On Talos, the token's group is the one Talos's control plane binds.
    expect(poolTokenOf(registered, "tcbr-a").data["auth-extra-groups"]).toBe(
      "system:bootstrappers:nodes",
    );
  });

  it("refuses what cannot work before any resource exists", () => {
    const before = registered.length;
    const onGcp = new FlatcarCluster("gc", {
      platform: gcp({ region: "europe-west1" }),
      nodePools: {},
    });
    const afterCluster = registered.length;
    expect(
      () => new BottlerocketNodeGroup("x", { cluster: onGcp, nodePools: { a: { count: 1 } } }),
    ).toThrow(/platform.*no GCE images/);
    const eks = {
      name: "e",
      endpoint: "https://e",
      certificateAuthorityData: "",
      subnetIds: [],
      securityGroupIds: [],
    };
    expect(
      () =>
        new BottlerocketNodeGroup("z", {
          cluster: eksCluster(eks, { kubernetesVersion: "1.30.2" }),
          nodePools: { a: { count: 1 } },
        }),
    ).toThrow(/kubernetesVersion.*1\.31 to 1\.37/);
    expect(
      () =>
        new BottlerocketNodeGroup("v", {
          cluster: onGcp,
          kubernetesVersion: "1.35.2",
          nodePools: { a: { count: 1 } },
        } as never),
    ).toThrow(/kubernetesVersion.*leave it unset.*eksCluster/);
    expect(registered.length).toBe(afterCluster);
    expect(before).toBeLessThanOrEqual(afterCluster);
  });
});
