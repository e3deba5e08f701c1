import { describe, expect, it } from "vitest";
import type { TalosImageOptions } from "../src/images.js";
import { AWS_AMI_SCHEMATIC, installerImage, talosImage, VANILLA_SCHEMATIC } from "../src/images.js";
import { talosRenderer } from "../src/node-renderer.js";

const base: TalosImageOptions = { talosVersion: "1.13.9", gcpBucketLocation: "US" };
const MINE = "a".repeat(64);

/** The schematic a boot image is built from, as its reference says it. */
function bootSchematic(platform: "aws" | "gcp" | "kvm", o: TalosImageOptions): string {
  const image = talosImage(platform, "amd64", o);
  if (image.kind === "ami-lookup") return AWS_AMI_SCHEMATIC; // Talos's own AMIs
  if (image.kind === "ami") return o.schematic ?? "?"; // the user's AMI, built from theirs
  const url = "url" in image ? String(image.url) : "";
  return /\/image\/([0-9a-f]{64})\//.exec(url)?.[1] ?? "?";
}
const upgradeSchematic = (platform: "aws" | "gcp" | "kvm", o: TalosImageOptions) =>
  /\/([0-9a-f]{64}):v/.exec(installerImage(platform, o))?.[1];

describe("one schematic per cluster: what nodes boot is what they upgrade to", () => {
  it.each([
    ["aws", base, AWS_AMI_SCHEMATIC],
    ["gcp", base, VANILLA_SCHEMATIC],
    ["kvm", base, VANILLA_SCHEMATIC],
    ["gcp", { ...base, schematic: MINE }, MINE],
    ["kvm", { ...base, schematic: MINE }, MINE],
    ["aws", { ...base, schematic: MINE, amiId: "ami-0123456789abcdef0" }, MINE],
  ] as const)("%s %j: %s", (platform, o, want) => {
    expect(bootSchematic(platform, o)).toBe(want);
    expect(upgradeSchematic(platform, o)).toBe(want);
  });

  it("refuses a schematic of your own beside Talos's AMIs, which carry theirs", () => {
    const renderer = talosRenderer({ schematic: MINE });
    const request = (platform: "aws" | "gcp") => ({
      platform,
      kubernetes: { major: 1, minor: 36, patch: 3, text: "1.36.3" },
      arch: "amd64" as const,
      osUpdates: { mode: "coordinated" as const },
      cni: { plugin: "flannel" as const, deployedBy: "os" as const },
    });
    expect(() => renderer.validate?.(request("aws"))).toThrow(
      /invalid schematic.*built from schematic 10e276a0.*give amiId/,
    );
    expect(() => renderer.validate?.(request("gcp"))).not.toThrow();
    expect(() =>
      talosRenderer({ schematic: AWS_AMI_SCHEMATIC }).validate?.(request("aws")),
    ).not.toThrow();
  });
});
