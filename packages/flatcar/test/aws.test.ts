import { aws } from "@minos/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ignitionValidate } from "../../../test/support/ignition.js";
import { fileContents } from "../../../test/support/ignition-files.js";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  holdResources,
  installMocks,
  invoked,
  releaseHeld,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import { haveTool } from "../../../test/support/system-tools.js";
import type { FlatcarClusterArgs } from "../src/index.js";
import { FlatcarCluster } from "../src/index.js";

let registered: RegisteredResource[];
/** The inputs each resource was declared with, as the program passed them (Outputs intact). */
const declared: { type: string; name: string; props: Record<string, unknown> }[] = [];

beforeAll(() => {
  registered = installMocks();
});

/** Records every child's declared inputs. */
const capture: pulumi.ResourceTransformation = (args) => {
  declared.push({ type: args.type, name: args.name, props: args.props });
  return undefined;
};

const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMinosTestKey test@minos";
const of = (cluster: string, type: string) =>
  registered.filter((r) => r.type === type && r.name.startsWith(`${cluster}-`));
const declaredOf = (cluster: string, type: string) =>
  declared.filter((r) => r.type === type && r.name.startsWith(`${cluster}-`));

async function onAws(name: string, args: Partial<FlatcarClusterArgs> = {}, platform = aws()) {
  const cluster = new FlatcarCluster(
    name,
    {
      platform,
      controlPlane: { count: 3 },
      nodePools: {
        general: { count: 2 },
        batch: {
          count: 1,
          minCount: 0,
          maxCount: 10,
          spot: true,
          machineType: "m6i.large",
          diskGiB: 100,
        },
      },
      sysext: { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"b".repeat(64)}` } },
      ...args,
    },
    { transformations: [capture] },
  );
  await resolved(cluster.kubeconfig);
  await resolved(cluster.nodePools);
  await new Promise((r) => setTimeout(r, 50));
  return cluster;
}

describe("FlatcarCluster on AWS, new VPC", () => {
  let cluster: FlatcarCluster;
  beforeAll(async () => {
    cluster = await onAws("prod");
  });

  it("makes the network, endpoint, payload bucket, roles and machines", () => {
    const count = (type: string) => of("prod", type).length;
    expect(count("aws:ec2/vpc:Vpc")).toBe(1);
    expect(count("aws:ec2/subnet:Subnet")).toBe(4);
    expect(count("aws:ec2/natGateway:NatGateway")).toBe(1);
    expect(count("aws:lb/loadBalancer:LoadBalancer")).toBe(1);
    expect(count("aws:ec2/instance:Instance")).toBe(3);
    expect(count("aws:lb/targetGroupAttachment:TargetGroupAttachment")).toBe(3);
    expect(count("aws:ec2/launchTemplate:LaunchTemplate")).toBe(2);
    expect(count("aws:autoscaling/group:Group")).toBe(2);
    expect(count("aws:iam/role:Role")).toBe(2);
    expect(count("aws:s3/bucketObjectv2:BucketObjectv2")).toBe(4);
  });

  it("spreads subnets over zones and carves them from the VPC", () => {
    const subnets = of("prod", "aws:ec2/subnet:Subnet").map((s) => [
      s.name,
      s.inputs.cidrBlock,
      s.inputs.availabilityZone,
    ]);
    expect(subnets).toEqual(
      expect.arrayContaining([
        ["prod-public-0", "10.0.0.0/20", "us-east-1a"],
        ["prod-public-1", "10.0.16.0/20", "us-east-1b"],
        ["prod-private-0", "10.0.128.0/20", "us-east-1a"],
        ["prod-private-1", "10.0.144.0/20", "us-east-1b"],
      ]),
    );
  });

  it("requires IMDSv2 and encrypted gp3 roots on every instance and launch template", () => {
    for (const i of of("prod", "aws:ec2/instance:Instance")) {
      expect(i.inputs.metadataOptions).toMatchObject({
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      expect(i.inputs.rootBlockDevice).toMatchObject({
        encrypted: true,
        volumeType: "gp3",
        volumeSize: 30,
      });
      expect(i.inputs.associatePublicIpAddress).toBe(false);
    }
    for (const t of of("prod", "aws:ec2/launchTemplate:LaunchTemplate")) {
      expect(t.inputs.metadataOptions).toMatchObject({
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      expect(t.inputs.blockDeviceMappings).toEqual([
        expect.objectContaining({
          deviceName: "/dev/xvda",
          ebs: expect.objectContaining({ encrypted: "true", volumeType: "gp3" }),
        }),
      ]);
    }
    const batch = of("prod", "aws:ec2/launchTemplate:LaunchTemplate").find(
      (t) => t.name === "prod-worker-batch",
    );
    expect(batch?.inputs).toMatchObject({
      instanceType: "m6i.large",
      instanceMarketOptions: { marketType: "spot" },
    });
    expect(batch?.inputs.blockDeviceMappings).toEqual([
      expect.objectContaining({ ebs: expect.objectContaining({ volumeSize: 100 }) }),
    ]);
    const general = of("prod", "aws:ec2/launchTemplate:LaunchTemplate").find(
      (t) => t.name === "prod-worker-general",
    );
    expect(general?.inputs.instanceMarketOptions).toBeUndefined();
  });

  it("sizes auto-scaling groups from the pool", () => {
    const asgs = of("prod", "aws:autoscaling/group:Group").map((g) => [
      g.name,
      g.inputs.minSize,
      g.inputs.desiredCapacity,
      g.inputs.maxSize,
    ]);
    expect(asgs).toEqual(
      expect.arrayContaining([
        ["prod-worker-batch", 0, 1, 10],
        ["prod-worker-general", 2, 2, 2],
      ]),
    );
  });

  it("opens exactly: API from the world to the NLB, nodes to each other, NLB to the control plane", () => {
    const rules = of("prod", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(
      (r) => ({
        name: r.name.replace("prod-", ""),
        port: r.inputs.fromPort ?? "all",
        from: r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId,
      }),
    );
    expect(rules.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "api-from-0", port: 6443, from: "0.0.0.0/0" },
      { name: "api-from-nodes", port: 6443, from: "prod-nodes-id" },
      { name: "control-plane-from-api-lb", port: 6443, from: "prod-api-lb-id" },
      { name: "nodes-from-nodes", port: "all", from: "prod-nodes-id" },
    ]);
  });

  it("puts the NLB's DNS name into the API certificate and the kubeconfig", async () => {
    const dns = "prod-api-0123456789.elb.us-east-1.amazonaws.com";
    const configs = await resolved(cluster.nodeConfigs);
    const kubeadm = parseAllDocuments(
      fileContents(configs["control-plane"] ?? "", "/etc/kubernetes/kubeadm.yaml"),
    ).map((d) => d.toJS());
    expect(kubeadm[1].controlPlaneEndpoint).toBe(`${dns}:6443`);
    expect(kubeadm[1].apiServer.certSANs).toContain(dns);
    expect(await resolved(cluster.kubeconfig)).toContain(`server: https://${dns}:6443`);
    expect(await resolved(cluster.endpoint)).toBe(`https://${dns}:6443`);
  });

  it("turns client-IP preservation off and health-checks /readyz", () => {
    const [tg] = of("prod", "aws:lb/targetGroup:TargetGroup");
    expect(tg?.inputs).toMatchObject({
      preserveClientIp: "false",
      healthCheck: { protocol: "HTTPS", path: "/readyz", port: "6443" },
    });
  });

  it("keeps payloads in a private S3 bucket, secret, and user-data a small pointer", async () => {
    const objects = declaredOf("prod", "aws:s3/bucketObjectv2:BucketObjectv2");
    expect(objects.map((o) => o.props.key).sort()).toEqual([
      "control-plane/init",
      "control-plane/join",
      "worker/batch",
      "worker/general",
    ]);
    for (const o of objects)
      expect(await pulumi.isSecret(o.props.content as pulumi.Output<string>)).toBe(true);
    const [block] = of("prod", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
    expect(block?.inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const [policy] = of("prod", "aws:s3/bucketPolicy:BucketPolicy");
    expect(JSON.parse(policy?.inputs.policy as string).Statement[0]).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });

    const userData = of("prod", "aws:ec2/instance:Instance").map(
      (i) => i.inputs.userData as string,
    );
    for (const u of userData) {
      expect(Buffer.byteLength(u)).toBeLessThan(16_384);
      expect(u).not.toContain("PRIVATE KEY");
      expect(JSON.parse(u).ignition.config.replace.source).toMatch(
        /^s3:\/\/prod-payloads-bucket\/control-plane\/(init|join)$/,
      );
    }
    const template = of("prod", "aws:ec2/launchTemplate:LaunchTemplate")[0];
    const pointer = Buffer.from(template?.inputs.userData as string, "base64").toString();
    expect(JSON.parse(pointer).ignition.config.replace).toMatchObject({
      verification: { hash: expect.stringMatching(/^sha512-[0-9a-f]{128}$/) },
    });
  });

  it.skipIf(!haveTool("ignition-validate", "ignition-validate"))(
    "the pointer configs pass ignition-validate",
    () => {
      for (const i of of("prod", "aws:ec2/instance:Instance")) {
        expect(ignitionValidate(i.inputs.userData as string)).toEqual({ code: 0, output: "" });
      }
    },
  );

  it("lets each role read only its own payloads, and gives workers nothing else", () => {
    const all = of("prod", "aws:iam/rolePolicy:RolePolicy").map((p) => [
      p.name,
      JSON.parse(p.inputs.policy as string).Statement,
    ]);
    // The control plane's other policies are its controllers' (platform services).
    expect(all.map(([name]) => name).filter((n) => String(n).startsWith("prod-worker"))).toEqual([
      "prod-worker-payloads",
    ]);
    const policies = all.filter(([name]) => String(name).endsWith("-payloads"));
    expect(policies).toEqual([
      [
        "prod-control-plane-payloads",
        [
          {
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: ["arn:aws:s3:::prod-payloads-bucket/control-plane/*"],
          },
        ],
      ],
      [
        "prod-worker-payloads",
        [
          {
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: ["arn:aws:s3:::prod-payloads-bucket/worker/*"],
          },
        ],
      ],
    ]);
    expect(JSON.stringify(policies)).not.toMatch(/"\*"|:\*"/);
  });

  it("tags everything with the cluster and Kubernetes ownership", () => {
    const vpc = of("prod", "aws:ec2/vpc:Vpc")[0];
    expect(vpc?.inputs.tags).toMatchObject({
      "minos:cluster": "prod",
      "kubernetes.io/cluster/prod": "owned",
    });
    for (const i of of("prod", "aws:ec2/instance:Instance"))
      expect(i.inputs.tags).toMatchObject({ "minos:cluster": "prod" });
  });

  it("reports control-plane IPs and pools", async () => {
    expect(await resolved(cluster.controlPlaneIps)).toHaveLength(3);
    expect(await resolved(cluster.nodePools)).toEqual([
      {
        name: "batch",
        count: 1,
        minCount: 0,
        maxCount: 10,
        spot: true,
        group: "prod-worker-batch-asg",
        bootstrapTokenId: expect.stringMatching(/^[a-z0-9]{6}$/),
      },
      {
        name: "general",
        count: 2,
        minCount: 2,
        maxCount: 2,
        spot: false,
        group: "prod-worker-general-asg",
        bootstrapTokenId: expect.stringMatching(/^[a-z0-9]{6}$/),
      },
    ]);
  });
});

describe("cluster-autoscaler discovery", () => {
  it("tags autoscaled pools as cluster-autoscaler's auto-discovery finds them, and only those", () => {
    const tagsOf = (pool: string) => {
      const asg = of("prod", "aws:autoscaling/group:Group").find(
        (g) => g.name === `prod-worker-${pool}`,
      );
      const tags = (asg?.inputs.tags ?? []) as { key: string; value: string }[];
      expect(tags.length, `tags of ${pool}`).toBeGreaterThan(0);
      return Object.fromEntries(tags.map((t) => [t.key, t.value]));
    };
    expect(tagsOf("batch")).toMatchObject({ "k8s.io/cluster-autoscaler/prod": "owned" });
    // No autoscaler runs here (platformServices.autoscaler is opt-in): none is advertised.
    expect(Object.keys(tagsOf("batch"))).not.toContain("k8s.io/cluster-autoscaler/enabled");
    expect(Object.keys(tagsOf("general")).filter((k) => k.includes("cluster-autoscaler"))).toEqual(
      [],
    );
  });
});

describe("FlatcarCluster on AWS, variations", () => {
  it("uses existing subnets and makes no VPC", async () => {
    const platform = aws({
      network: {
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
      },
    });
    await onAws("byo", { controlPlane: { count: 1 } }, platform);
    expect(of("byo", "aws:ec2/vpc:Vpc")).toEqual([]);
    expect(of("byo", "aws:ec2/subnet:Subnet")).toEqual([]);
    expect(of("byo", "aws:ec2/instance:Instance").map((i) => i.inputs.subnetId)).toEqual([
      "subnet-0aaaaaaaaaaaaaaa1",
    ]);
    expect(of("byo", "aws:lb/loadBalancer:LoadBalancer")[0]?.inputs.subnets).toEqual([
      "subnet-0aaaaaaaaaaaaaaa1",
      "subnet-0aaaaaaaaaaaaaaa2",
    ]);
  });

  it("opens SSH only with keys, only from sshAllowedCidrs; narrows the API", async () => {
    const platform = aws({
      apiAllowedCidrs: ["198.51.100.0/24"],
      sshAllowedCidrs: ["203.0.113.7/32"],
    });
    await onAws("ssh", { sshAuthorizedKeys: [SSH], controlPlane: { count: 1 } }, platform);
    const rules = of("ssh", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(
      (r) => [r.name, r.inputs.fromPort, r.inputs.cidrIpv4],
    );
    expect(rules).toContainEqual(["ssh-ssh-from-0", 22, "203.0.113.7/32"]);
    expect(rules).toContainEqual(["ssh-api-from-0", 6443, "198.51.100.0/24"]);
    expect(rules.filter((r) => r[2] === "0.0.0.0/0")).toEqual([]);

    // SSH ranges without keys would open nothing anyone could use: refused, not ignored.
    expect(() => new FlatcarCluster("nossh", { platform, controlPlane: { count: 1 } })).toThrow(
      /sshAllowedCidrs.*sshAuthorizedKeys/,
    );
    await onAws(
      "nossh",
      { controlPlane: { count: 1 } },
      aws({ apiAllowedCidrs: ["198.51.100.0/24"] }),
    );
    expect(
      of("nossh", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
        (r) => r.inputs.fromPort === 22,
      ),
    ).toEqual([]);
  });

  it("looks a pinned AMI up by id alone, and the channel's newest by Flatcar's account", async () => {
    await onAws("pinned", { controlPlane: { count: 1 }, amiId: "ami-0123456789abcdef0" });
    const lookups = invoked.filter((i) => i.token === "aws:ec2/getAmi:getAmi").map((i) => i.inputs);
    expect(lookups).toContainEqual({
      filters: [{ name: "image-id", values: ["ami-0123456789abcdef0"] }],
    });
    expect(lookups).toContainEqual(
      expect.objectContaining({
        owners: ["075585003325"],
        mostRecent: true,
        filters: expect.arrayContaining([{ name: "name", values: ["Flatcar-stable-*"] }]),
      }),
    );
  });

  it("puts nodes in public subnets without NAT, and raises the hop limit only when asked", async () => {
    await onAws(
      "cheap",
      { controlPlane: { count: 1 } },
      aws({ network: { natGateway: false }, metadataHopLimit: 2 }),
    );
    expect(of("cheap", "aws:ec2/natGateway:NatGateway")).toEqual([]);
    const [i] = of("cheap", "aws:ec2/instance:Instance");
    expect(i?.inputs).toMatchObject({
      associatePublicIpAddress: true,
      metadataOptions: { httpPutResponseHopLimit: 2 },
    });
  });

  it("creates workers without waiting for any control-plane instance", async () => {
    holdResources("aws:ec2/instance:Instance");
    const cluster = new FlatcarCluster("parallel", {
      platform: aws(),
      nodePools: { general: { count: 2 } },
    });
    await resolved(cluster.nodeConfigs);
    await new Promise((r) => setTimeout(r, 100));
    expect(of("parallel", "aws:autoscaling/group:Group")).toHaveLength(1);
    expect(of("parallel", "aws:ec2/instance:Instance")).toEqual([]);
    releaseHeld();
    await resolved(cluster.controlPlaneIps);
    expect(of("parallel", "aws:ec2/instance:Instance")).toHaveLength(1);
  });

  it.each([
    [{ network: { cidr: "10.0.0.0/8" } }, "network.cidr"],
    [{ network: { azCount: 0 } }, "network.azCount"],
    [{ network: { vpcId: "vpc-1", subnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] } }, "network.vpcId"],
    [{ network: { vpcId: "vpc-0123456789abcdef0", subnetIds: [] } }, "network.subnetIds"],
    [{ apiAllowedCidrs: ["0.0.0.0"] }, "apiAllowedCidrs[0]"],
    [{ metadataHopLimit: 3 }, "metadataHopLimit"],
    [{ defaultInstanceType: "huge" }, "defaultInstanceType"],
  ])("refuses %j", (args, argument) => {
    expect(() => aws(args as never)).toThrow(expect.objectContaining({ argument }));
  });
});

describe("short-lived clusters", () => {
  it("stamps the expiry on every taggable AWS resource and exports it", async () => {
    const cluster = await onAws("eph", {
      controlPlane: { count: 1 },
      expiresAt: "2026-11-27T06:00:00Z",
    });
    expect(cluster.expiresAt).toBe("2026-11-27T06:00:00Z");
    const tagged = registered.filter(
      (r) =>
        r.type.startsWith("aws:") && r.name.startsWith("eph-") && typeof r.inputs.tags === "object",
    );
    expect(tagged.length).toBeGreaterThan(15);
    for (const r of tagged) {
      const tags = Array.isArray(r.inputs.tags)
        ? Object.fromEntries(
            (r.inputs.tags as { key: string; value: string }[]).map((t) => [t.key, t.value]),
          )
        : (r.inputs.tags as Record<string, string>);
      expect(tags["minos:expires-at"], `${r.type} ${r.name}`).toBe("2026-11-27T06:00:00Z");
    }
    expect(() => new FlatcarCluster("bad", { platform: aws(), expiresAt: "tomorrow" })).toThrow(
      /expiresAt.*ISO 8601 UTC/,
    );
  });
});
