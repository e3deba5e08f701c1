import { MinosError } from "@minos/core";
import { describe, expect, it } from "vitest";
import { kvm, kvmDescription } from "../src/index.js";

describe("kvm() storage", () => {
  it("keeps volumes on the nodes' own disks: nodes are told, whether or not a provisioner goes in", () => {
    expect(kvmDescription.localVolumes).toBe(true);
    expect(kvm().localVolumes).toBe(true);
    expect(kvm({ storage: false }).localVolumes).toBe(true);
  });

  it("offers add-ons only with a directory from the OS, and none with storage off", () => {
    const ctx = { name: "x", opts: {} };
    // No Pulumi program runs here: nothing may be made when there is nothing to make.
    expect(kvm().addons?.(ctx)).toEqual([]);
    expect(kvm({ storage: false }).addons?.({ ...ctx, localVolumePath: "/var/lv" })).toEqual([]);
  });

  it("refuses a storage that is not true or false, and a misspelt key", () => {
    expect(() => kvm({ storage: "local" } as never)).toThrow(MinosError);
    expect(() => kvm({ storage: "local" } as never)).toThrow(/storage.*true .* or false/s);
    expect(() => kvm({ storgae: false } as never)).toThrow(/storgae.*storage/s);
  });
});
