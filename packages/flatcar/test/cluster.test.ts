import { ignition, MinosError, parseKubernetesVersion } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { fakePlatform } from "../../../test/support/fake-platform.js";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, resolved } from "../../../test/support/pulumi-mocks.js";
import { renderRole, testSecrets } from "../../../test/support/secrets.js";
import type { FlatcarClusterArgs } from "../src/index.js";
import { FlatcarCluster, flatcarImage, flatcarOs, sysextFileName } from "../src/index.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
});

const PIN = {
  [sysextFileName(parseKubernetesVersion("k", "1.37.1"), "amd64")]: `sha256-${"a".repeat(64)}`,
};

function flatcar(
  name: string,
  platformName: "aws" | "gcp" | "kvm",
  args: Partial<FlatcarClusterArgs> = {},
) {
  const { platform, requests } = fakePlatform(platformName);
  const cluster = new FlatcarCluster(name, {
    platform,
    nodePools: { general: { count: 3 } },
    sysext: { hashes: PIN },
    ...args,
  });
  return { cluster, requests };
}

/** Flatcar makes no resource to find its image. */
const NO_SCOPE = { name: "unused", parent: undefined as never };

describe("FlatcarCluster", () => {
  it.each(["aws", "gcp", "kvm"] as const)(
    "builds on %s with Flatcar's image and config delivery",
    async (platform) => {
      const { cluster, requests } = flatcar(`fc-${platform}`, platform, { channel: "beta" });
      expect(requests).toHaveLength(2);
      const [cp] = requests;
      expect(cp?.image).toEqual(flatcarImage(platform, "amd64", "beta"));
      expect(cp?.delivery).toEqual(
        {
          aws: { kind: "user-data", pointer: ignition.ignitionPointer },
          gcp: { kind: "metadata", key: "user-data", pointer: ignition.ignitionPointer },
          kvm: { kind: "fw_cfg", key: "opt/org.flatcar-linux/config" },
        }[platform],
      );
      const configs = await resolved(cluster.nodeConfigs);
      expect(JSON.parse(configs["control-plane"] ?? "").ignition.version).toBe("3.3.0");
      expect(await pulumi.isSecret(cluster.nodeConfigs)).toBe(true);
      for (const r of requests) expect(await pulumi.isSecret(r.payload)).toBe(true);
    },
  );

  it("uses the image data upstream publishes", () => {
    expect(flatcarImage("aws", "arm64", "stable")).toEqual({
      platform: "aws",
      kind: "ami-lookup",
      owners: ["075585003325"],
      namePattern: "Flatcar-stable-*",
      architecture: "arm64",
    });
    expect(flatcarImage("gcp", "amd64", "lts")).toEqual({
      platform: "gcp",
      kind: "family",
      project: "kinvolk-public",
      family: "flatcar-lts",
    });
    expect(flatcarImage("kvm", "amd64", "alpha")).toMatchObject({
      url: "https://alpha.release.flatcar-linux.net/amd64-usr/current/flatcar_production_qemu_image.img",
      digest: {
        algorithm: "sha512",
        url: "https://alpha.release.flatcar-linux.net/amd64-usr/current/flatcar_production_qemu_image.img.DIGESTS",
      },
    });
  });

  it("warns when the sysext is not pinned, and not when it is", () => {
    const warn = vi.spyOn(pulumi.log, "warn");
    flatcar("pinned", "kvm");
    expect(warn).not.toHaveBeenCalled();
    flatcar("unpinned", "kvm", { sysext: {} });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("kubernetes-v1.37.1-x86-64.raw is not pinned"),
      expect.anything(),
    );
    warn.mockRestore();
  });

  const bad: [string, Partial<FlatcarClusterArgs>, string][] = [
    ["channel", { channel: "edge" as never }, "channel"],
    ["sysext URL", { sysext: { baseUrl: "ftp://mirror" } }, "sysext.baseUrl"],
    [
      "sysext hash",
      { sysext: { hashes: { "kubernetes-v1.37.1-x86-64.raw": "md5-abc" } } },
      "sysext.hashes.kubernetes-v1.37.1-x86-64.raw",
    ],
    [
      "sysext file",
      { sysext: { hashes: { "kubelet.raw": `sha256-${"a".repeat(64)}` } } },
      "sysext.hashes key",
    ],
    [
      "extra Ignition",
      { extraIgnition: [{ ignition: { version: "2.2.0" } }] },
      "extraIgnition[0].ignition.version",
    ],
  ];
  it.each(bad)("refuses a bad %s before creating anything", (_, args, argument) => {
    const before = registered.length;
    expect(() => flatcar("bad", "kvm", args)).toThrow(expect.objectContaining({ argument }));
    expect(registered.length).toBe(before);
  });

  it("uses a pinned GCE image on GCP only", () => {
    const os = flatcarOs({ gcpImage: "flatcar-stable-4230-2-3" });
    expect(os.image("gcp", "amd64", NO_SCOPE)).toEqual({
      platform: "gcp",
      kind: "image",
      project: "kinvolk-public",
      name: "flatcar-stable-4230-2-3",
    });
    expect(os.image("aws", "amd64", NO_SCOPE)).toMatchObject({ kind: "ami-lookup" });
    expect(() => flatcarOs({ gcpImage: "Flatcar Stable" })).toThrow(
      expect.objectContaining({ argument: "gcpImage" }),
    );
  });

  it("uses a pinned AMI on AWS only", () => {
    const os = flatcarOs({ amiId: "ami-0123456789abcdef0" });
    expect(os.image("aws", "amd64", NO_SCOPE)).toEqual({
      platform: "aws",
      kind: "ami",
      id: "ami-0123456789abcdef0",
    });
    expect(os.image("gcp", "amd64", NO_SCOPE)).toMatchObject({ kind: "family" });
  });

  it("refuses arm64 on GCP, where Flatcar publishes no image", () => {
    expect(() => flatcar("armgcp", "gcp", { arch: "arm64" })).toThrow(MinosError);
  });
});

describe("Flatcar rendering is deterministic", () => {
  it("same inputs give byte-identical Ignition for every role", async () => {
    const secrets = await testSecrets();
    for (const role of ["control-plane", "control-plane-join", "worker"] as const) {
      const a = renderRole(flatcarOs(), role, "aws", secrets);
      const b = renderRole(flatcarOs(), role, "aws", structuredClone(secrets));
      expect(a).toBe(b);
    }
  });

  it("control-plane configs fit EC2's 16 KiB user-data", async () => {
    const secrets = await testSecrets();
    for (const role of ["control-plane", "control-plane-join", "worker"] as const) {
      expect(Buffer.byteLength(renderRole(flatcarOs(), role, "aws", secrets))).toBeLessThan(16_384);
    }
  });
});
