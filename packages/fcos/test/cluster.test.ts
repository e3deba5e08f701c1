import { aws } from "@minos/aws";
import { generateSecrets } from "@minos/cli";
import type { Platform } from "@minos/core";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { fcosStreamFixture, mockFcosStream } from "../../../test/support/fcos-stream.js";
import { fileContents } from "../../../test/support/ignition-files.js";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  installMocks,
  invoked,
  isSecretInput,
  plain,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import { renderRole, testSecrets } from "../../../test/support/secrets.js";
import type { FcosClusterArgs } from "../src/index.js";
import { FCOS_KUBERNETES, FcosCluster, fcosOs, fleetlockAddress } from "../src/index.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
  mockFcosStream();
});

const STREAM_IMAGES = "pulumi-nodejs:dynamic/minos-fcos:StreamImages";
const BUILD = "kubernetes-cri-o-1.36-1.36.2-1.fc43-43-x86-64.raw";
const PIN = {
  url: "https://mirror.example/fcos/fedora-coreos-43.20261102.3.0-qemu.x86_64.qcow2.xz",
  sha256: "a".repeat(64),
};
const of = (cluster: string, type: string) =>
  registered.filter((r) => r.type === type && r.name.startsWith(`${cluster}-`));
const amiLookups = () =>
  invoked.filter((i) => i.token === "aws:ec2/getAmi:getAmi").map((i) => i.inputs);

async function fcos(name: string, platform: Platform, args: Partial<FcosClusterArgs> = {}) {
  const cluster = new FcosCluster(name, {
    platform,
    nodePools: { general: { count: 2 } },
    sysext: { image: { url: `https://mirror.example/${BUILD}`, sha256: "b".repeat(64) } },
    ...args,
  });
  await resolved(cluster.kubeconfig);
  await resolved(cluster.nodeConfigs);
  await new Promise((r) => setTimeout(r, 100));
  return cluster;
}

describe("FcosCluster under mocks", () => {
  it("on AWS takes the stream's AMI for the provider's region, read once per cluster", async () => {
    await fcos("fa", aws(), { controlPlane: { count: 3 } });
    const reads = of("fa", STREAM_IMAGES);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.inputs).toMatchObject({ stream: "stable", arch: "amd64", timeoutSeconds: 30 });
    // The provider is serialized as a shim that loads this package's provider by name.
    expect(reads[0]?.inputs.__provider).toContain('"@minos/fcos/providers"');
    expect(amiLookups()).toContainEqual({
      filters: [{ name: "image-id", values: ["ami-0f9e8d7c6b5a49382"] }],
    });
    expect(of("fa", "aws:ec2/instance:Instance")).toHaveLength(3);
    const template = of("fa", "aws:ec2/launchTemplate:LaunchTemplate")[0];
    expect(template?.inputs.imageId).toBe("ami-0f1a7ca70000000a1");
  });

  it("on AWS falls back to Fedora's account where the stream lists no AMI for the region", async () => {
    const stream = fcosStreamFixture() as {
      architectures: { x86_64: { images: { aws: { regions: Record<string, unknown> } } } };
    };
    delete stream.architectures.x86_64.images.aws.regions["us-east-1"];
    mockFcosStream(stream);
    try {
      await fcos("fb", aws());
    } finally {
      mockFcosStream();
    }
    expect(amiLookups()).toContainEqual({
      owners: ["125523088429"],
      mostRecent: true,
      filters: [
        { name: "description", values: ["Fedora CoreOS stable *"] },
        { name: "architecture", values: ["x86_64"] },
        { name: "virtualization-type", values: ["hvm"] },
      ],
    });
  });

  it("on AWS with imageSource cloud reads no metadata; a pinned AMI is looked up by id", async () => {
    await fcos("fc", aws(), { imageSource: "cloud", stream: "next" });
    expect(of("fc", STREAM_IMAGES)).toEqual([]);
    expect(amiLookups()).toContainEqual(
      expect.objectContaining({
        owners: ["125523088429"],
        filters: expect.arrayContaining([
          { name: "description", values: ["Fedora CoreOS next *"] },
        ]),
      }),
    );
    await fcos("fd", aws(), { amiId: "ami-0123456789abcdef0" });
    expect(of("fd", STREAM_IMAGES)).toEqual([]);
    expect(amiLookups()).toContainEqual({
      filters: [{ name: "image-id", values: ["ami-0123456789abcdef0"] }],
    });
  });

  it("on GCP boots the stream's image from fedora-coreos-cloud, Ignition in Cloud Storage behind a user-data pointer", async () => {
    await fcos("fg", gcp({ region: "europe-west1" }));
    const instance = of("fg", "gcp:compute/instance:Instance")[0];
    expect(instance?.inputs.bootDisk).toMatchObject({
      initializeParams: {
        image:
          "https://compute.test/projects/fedora-coreos-cloud/global/images/fedora-coreos-43-20261102-3-0-gcp-x86-64-4230-2-3",
      },
    });
    // Metadata holds a pointer; the config, with its CA keys, is a secret object.
    const pointer = plain<Record<string, string>>(instance?.inputs.metadata)["user-data"] ?? "";
    expect(JSON.parse(pointer).ignition.config.replace.source).toMatch(
      /^gs:\/\/.+\/control-plane\/init$/,
    );
    const object = of("fg", "gcp:storage/bucketObject:BucketObject").find(
      (o) => o.inputs.name === "control-plane/init",
    );
    expect(isSecretInput(object?.inputs.content)).toBe(true);
    const config = plain<string>(object?.inputs.content);
    expect(fileContents(config, "/etc/kubernetes/kubeadm.yaml")).toContain(
      "criSocket: unix:///var/run/crio/crio.sock",
    );
  });

  it("on KVM downloads the stream's qcow2.xz, verified by its SHA-256, and boots by fw_cfg", async () => {
    await fcos("fk", kvm());
    const [base] = of("fk", "pulumi-nodejs:dynamic/minos-libvirt:BaseImage");
    expect(base?.inputs).toMatchObject({
      url: "https://builds.coreos.fedoraproject.org/prod/streams/stable/builds/43.20261102.3.0/x86_64/fedora-coreos-43.20261102.3.0-qemu.x86_64.qcow2.xz",
      digest: {
        algorithm: "sha256",
        value: "4f3c2d1e0b9a8f7e6d5c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a39281706",
      },
      format: "qcow2",
      compression: "xz",
    });
    const domains = of("fk", "pulumi-nodejs:dynamic/minos-libvirt:Domain");
    expect(domains).toHaveLength(3);
    for (const d of domains) {
      const firstBoot = d.inputs.firstBoot as Record<string, unknown>;
      expect(isSecretInput(firstBoot)).toBe(true);
      expect(plain<Record<string, unknown>>(firstBoot).key).toBe("opt/com.coreos/config");
    }
  });

  it("on KVM takes a pinned QEMU image without reading metadata", async () => {
    await fcos("fp", kvm({ cidr: "10.78.0.0/24" }), { qemuImage: PIN });
    expect(of("fp", STREAM_IMAGES)).toEqual([]);
    expect(of("fp", "pulumi-nodejs:dynamic/minos-libvirt:BaseImage")[0]?.inputs).toMatchObject({
      url: PIN.url,
      digest: { algorithm: "sha256", value: PIN.sha256 },
    });
  });

  it("keeps every payload secret and renders the same bytes for the same inputs", async () => {
    const a = await fcos("fs", kvm({ cidr: "10.79.0.0/24" }), { qemuImage: PIN });
    const configs = await resolved(a.nodeConfigs);
    expect(Object.keys(configs).sort()).toEqual(["control-plane", "worker/general"]);
    expect(await pulumi.isSecret(a.nodeConfigs)).toBe(true);
    const again = await resolved(a.nodeConfigs);
    expect(again).toEqual(configs);
  });
});

describe("FCOS Kubernetes and updates under mocks", () => {
  it("runs the newest minor the sysext project builds by default, and refuses the ones it does not", async () => {
    const cluster = await fcos("fv", kvm({ cidr: "10.80.0.0/24" }), { qemuImage: PIN });
    expect(cluster.kubernetesVersion).toBe(FCOS_KUBERNETES.defaultVersion);
    expect(FCOS_KUBERNETES.defaultVersion.startsWith(`1.${FCOS_KUBERNETES.maxMinor}.`)).toBe(true);
    const before = registered.length;
    for (const version of ["1.37.1", "1.32.4"]) {
      expect(
        () =>
          new FcosCluster("fw", { platform: kvm(), kubernetesVersion: version, qemuImage: PIN }),
      ).toThrow(/kubernetesVersion.*minor 1\.33 to 1\.36.*Fedora sysexts project/);
    }
    expect(registered.length).toBe(before);
  });

  it("refuses a pinned build for another minor or architecture, and an update window Zincati cannot keep", () => {
    const base = { platform: kvm(), qemuImage: PIN };
    expect(
      () =>
        new FcosCluster("fx", {
          ...base,
          kubernetesVersion: "1.35.3",
          sysext: { image: { url: `https://m.test/${BUILD}`, sha256: "b".repeat(64) } },
        }),
    ).toThrow(
      /sysext.image.url.*Kubernetes 1.35.3 on amd64: pin a kubernetes-cri-o-1.35 build for x86-64/,
    );
    expect(
      () =>
        new FcosCluster("fy", {
          ...base,
          arch: "arm64",
          sysext: { image: { url: `https://m.test/${BUILD}`, sha256: "b".repeat(64) } },
        }),
    ).toThrow(/build for arm64/);
    expect(
      () =>
        new FcosCluster("fz", {
          ...base,
          osUpdates: { window: { start: "02:00", lengthMinutes: 120 } },
        }),
    ).toThrow(/osUpdates.window.*FleetLock server.*not both/);
  });

  it("runs a FleetLock server at the address Zincati asks, only when updates are coordinated", async () => {
    // KVM's volume and load-balancer controllers are Deployments too: left out here.
    await fcos("fl", kvm({ cidr: "10.81.0.0/24" }), {
      platformServices: { volumes: false, loadBalancers: false },
      qemuImage: PIN,
      serviceCidr: "10.100.0.0/16",
    });
    const service = of("fl", "kubernetes:core/v1:Service")[0];
    expect(service?.inputs.spec).toMatchObject({
      clusterIP: "10.100.0.15",
      ports: [{ port: 80, targetPort: 8080 }],
    });
    expect(fleetlockAddress("10.100.0.0/16")).toBe("10.100.0.15");
    const deployment = of("fl", "kubernetes:apps/v1:Deployment")[0];
    const pod = plain<{ spec: { template: { spec: Record<string, unknown> } } }>(deployment?.inputs)
      .spec.template.spec;
    expect(pod.tolerations).toContainEqual(
      expect.objectContaining({ key: "node-role.kubernetes.io/control-plane" }),
    );
    expect(JSON.stringify(pod.containers)).toContain('"name":"NAMESPACE"');
    // runAsNonRoot needs a numeric user: the image's `USER nobody` alone would keep the pod from starting.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    // One Lease per Zincati group: the server may create and take them, nothing else.
    const role = of("fl", "kubernetes:rbac.authorization.k8s.io/v1:Role")[0];
    expect(role?.inputs.rules).toEqual([
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        verbs: ["create", "get", "update"],
      },
    ]);

    await fcos("fo", kvm({ cidr: "10.82.0.0/24" }), {
      platformServices: { volumes: false, loadBalancers: false },
      qemuImage: PIN,
      osUpdates: { mode: "off" },
    });
    expect(of("fo", "kubernetes:apps/v1:Deployment")).toEqual([]);
  });
});

describe("fcosOs refuses bad input before any resource exists", () => {
  it.each([
    [{ stream: "rawhide" }, /stream.*rawhide.*stable, testing, next/],
    [{ imageSource: "latest" }, /imageSource/],
    [{ streamMetadata: { timeoutSeconds: 0 } }, /streamMetadata.timeoutSeconds/],
    [{ streamMetadata: { baseUrl: "ftp://mirror" } }, /streamMetadata.baseUrl/],
    [{ amiId: "ami-xyz" }, /amiId/],
    [{ gcpImage: "Fedora CoreOS" }, /gcpImage/],
    [{ qemuImage: { url: "https://x.test/a.qcow2", sha256: "a".repeat(64) } }, /qemuImage.url/],
    [{ qemuImage: { url: PIN.url, sha256: "abc" } }, /qemuImage.sha256/],
    [
      { sysext: { image: { url: "https://x.test/k.raw", sha256: "b".repeat(64) } } },
      /sysext.image.url.*named as the project names them/,
    ],
    [{ sysext: { image: { url: `https://x.test/${BUILD}`, sha256: "z" } } }, /sysext.image.sha256/],
    [{ sysext: { baseUrl: "not a url" } }, /sysext.baseUrl/],
  ])("%j", (options, message) => {
    expect(() => fcosOs(options as never)).toThrow(message);
  });

  it("says KVM needs a pinned QEMU image when metadata is not read", () => {
    const os = fcosOs({ imageSource: "cloud" });
    expect(() => os.image("kvm", "amd64", { name: "x", parent: undefined as never })).toThrow(
      /qemuImage.*stream-metadata/,
    );
  });
});

describe("Fedora CoreOS rendering", () => {
  it("gives byte-identical Ignition for the same inputs, and different bytes for other secrets", async () => {
    const os = fcosOs();
    const a = await testSecrets();
    for (const role of ["control-plane", "control-plane-join", "worker"] as const) {
      expect(renderRole(os, role, "kvm", a)).toBe(renderRole(fcosOs(), role, "kvm", a));
    }
    const other = await generateSecrets();
    expect(renderRole(os, "worker", "kvm", other)).not.toBe(renderRole(os, "worker", "kvm", a));
  });
});
