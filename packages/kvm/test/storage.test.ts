import { describe, expect, it } from "vitest";
import { kvm, kvmDescription } from "../src/index.js";

const services = { controller: false, volumes: true, loadBalancers: false, autoscaler: false };

describe("kvm() storage", () => {
  it("keeps volumes on the nodes' own disks and offers volumes and load balancers, no controller", () => {
    expect(kvmDescription.localVolumes).toBe(true);
    expect(kvm().localVolumes).toBe(true);
    expect(kvmDescription.services).toEqual(["volumes", "loadBalancers"]);
  });

  it("offers add-ons only with a directory from the OS, and none with volumes off", () => {
    const ctx = { name: "x", services, ids: {}, podCidr: "10.244.0.0/16", opts: {} };
    // No Pulumi program runs here: nothing may be made when there is nothing to make.
    expect(kvm().addons?.(ctx)).toEqual([]);
    expect(
      kvm().addons?.({
        ...ctx,
        services: { ...services, volumes: false },
        localVolumePath: "/var/lv",
      }),
    ).toEqual([]);
  });
});
