import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { loadExample } from "../support/example-program.js";

// Each example reads its config through the keys it declares (@minos/workload's
// exampleConfig): a key of its own namespace it does not read is refused
// before anything exists, where Pulumi alone would ignore it.
describe("an example's config", () => {
  it("refuses a misspelt key, naming it and the key it meant", async () => {
    const { error, registered } = await loadExample("kvm-flatcar", {
      kubernetesVersoin: "1.30.0",
    });
    expect(error?.message).toBe(
      'minos: invalid config key: "kubernetesVersoin"; minos-test reads no such key (did you mean kubernetesVersion?); it reads apiAllowedCidrs, cidr, controlPlaneCount, kubernetesVersion, machineType, platform, pool, sshAuthorizedKeys, sysextHashes, uri; remove it with pulumi config rm kubernetesVersoin',
    );
    expect(registered).toEqual([]);
    // A MinosError (the program's own copy: modules load afresh) that Pulumi
    // prints without its stack, as it does a RunError.
    expect(error?.name).toBe("MinosError");
    expect(pulumi.RunError.isInstance(error)).toBe(true);
  });

  it("refuses a key the example does not read: platform on aws-flatcar", async () => {
    const { error, registered } = await loadExample("aws-flatcar", { platform: "kvm" });
    expect(error?.message).toMatch(
      /^minos: invalid config key: "platform"; minos-test reads no such key; it reads apiAllowedCidrs, controlPlaneCount, kubernetesVersion, sysextHashes; /,
    );
    expect(error?.message).not.toContain("\n");
    expect(registered).toEqual([]);
  });

  it("refuses a value of the wrong type, naming the key", async () => {
    const count = await loadExample("kvm-fcos", { controlPlaneCount: "abc" });
    expect(count.error?.message).toBe(
      'minos: invalid config controlPlaneCount: "abc"; use a whole number',
    );
    const cidrs = await loadExample("kvm-talos", { apiAllowedCidrs: "10.0.0.0/8" });
    expect(cidrs.error?.message).toBe(
      "minos: invalid config apiAllowedCidrs: \"10.0.0.0/8\"; use a list of strings: pulumi config set --path 'apiAllowedCidrs[0]' <value>",
    );
    const platform = await loadExample("compare-os", { platform: "azure" });
    expect(platform.error?.message).toBe(
      'minos: invalid config platform: "azure"; use kvm, aws, gcp',
    );
  });

  it("takes the keys it declares and leaves other namespaces (aws:region) to their providers", async () => {
    const { error, registered } = await loadExample("kvm-flatcar", {
      "aws:region": "eu-west-1",
      "kubernetes:context": "elsewhere",
      controlPlaneCount: "3",
      cidr: "10.66.0.0/24",
    });
    expect(error).toBeUndefined();
    await new Promise((r) => setTimeout(r, 500));
    const network = registered.find((r) => r.type.endsWith("minos-libvirt:Network"));
    expect(network?.inputs.addresses).toEqual([
      { ip: "10.66.0.5", name: expect.stringMatching(/-api$/) },
    ]);
    expect(
      registered.filter((r) => r.type.endsWith("minos-libvirt:Domain")).map((r) => r.name),
    ).toEqual(expect.arrayContaining(["lab-control-plane-2"]));
  });
});
