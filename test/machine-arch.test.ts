import { describe, expect, it } from "vitest";
import { instanceArch } from "../packages/aws/src/instance-arch.js";
import { defaultMachineType, machineArch } from "../packages/gcp/src/machine-arch.js";

describe("EC2 instance types' architecture", () => {
  it("reads Graviton families as arm64, GPU and x86 families as amd64", () => {
    const arm = [
      "t4g.medium",
      "m7g.2xlarge",
      "m7gd.large",
      "c6gn.xlarge",
      "x2gd.metal",
      "im4gn.large",
      "is4gen.large",
      "g5g.xlarge",
      "hpc7g.16xlarge",
      "a1.large",
      "r8g.large",
    ];
    const x86 = [
      "t3.medium",
      "m7i.large",
      "m7a.large",
      "c6in.metal-24xl",
      "g4dn.xlarge",
      "g6.xlarge",
      "p5.48xlarge",
      "r7iz.large",
      "inf2.xlarge",
      "trn1.2xlarge",
    ];
    for (const t of arm) expect(instanceArch(t), t).toBe("arm64");
    for (const t of x86) expect(instanceArch(t), t).toBe("amd64");
  });

  it("says nothing where the name does not tell", () => {
    expect(instanceArch("mac2-m2.metal")).toBeUndefined();
    expect(instanceArch("nonsense")).toBeUndefined();
  });
});

describe("GCE machine types' architecture", () => {
  it("reads Tau T2A and Axion families as arm64, the rest as amd64", () => {
    for (const t of ["t2a-standard-2", "c4a-highmem-8", "n4a-standard-4"])
      expect(machineArch(t), t).toBe("arm64");
    for (const t of [
      "e2-standard-2",
      "n2d-highmem-8",
      "c3-standard-4-lssd",
      "e2-custom-4-8192",
      "t2d-standard-1",
    ])
      expect(machineArch(t), t).toBe("amd64");
  });

  it("defaults to a type of the cluster's arch that takes pd-balanced boot disks", () => {
    expect(defaultMachineType("amd64")).toBe("e2-standard-2");
    expect(defaultMachineType(undefined)).toBe("e2-standard-2");
    expect(defaultMachineType("arm64")).toBe("t2a-standard-2");
    expect(machineArch(defaultMachineType("arm64"))).toBe("arm64");
  });
});
