import { readFileSync } from "node:fs";
import { bottlerocketRenderer } from "@minos/bottlerocket/render";
import type { ClusterRequest, NodeOs, NodeRenderer, PlatformName } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";
import { talosOs } from "@minos/talos";
import { describe, expect, it } from "vitest";

const PLATFORMS: PlatformName[] = ["aws", "gcp", "kvm"];
const COLUMNS: Record<string, string> = { aws: "AWS", gcp: "GCP", kvm: "KVM (libvirt)" };
/** A platform's column heading in the table. */
const column = (platform: PlatformName): string => COLUMNS[platform] ?? platform;

/** The README's "What runs where" table: OS link text → column heading → cell. */
function matrix(): Record<string, Record<string, string>> {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("What runs where")) ?? "";
  const rows = section
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const [head = [], , ...body] = rows;
  return Object.fromEntries(
    body.map((cells) => [
      /^\[([^\]]+)\]/.exec(cells[0] ?? "")?.[1] ?? cells[0],
      Object.fromEntries(head.map((h, i) => [h, cells[i] ?? ""])),
    ]),
  );
}

/** How the table says a delivery reaches the node. */
function deliveryWords(os: NodeRenderer, platform: PlatformName): string {
  const d = os.delivery(platform, "worker");
  if (d.kind === "user-data") return d.pointer ? "S3, user-data points to it" : "user-data";
  if (d.kind === "metadata") return d.pointer ? "Cloud Storage, metadata points to it" : "metadata";
  if (d.kind === "fw_cfg") return "fw_cfg";
  if (d.kind === "cidata") return "cidata ISO";
  return d.kind;
}

/** Whether the OS refuses arm64 nodes on the platform, before anything is made. */
function refusesArm64(os: NodeRenderer, platform: PlatformName): boolean {
  const request = {
    platform,
    arch: "arm64",
    kubernetes: os.kubernetes?.defaultVersion,
    osUpdates: { mode: "coordinated" },
    cni: { plugin: "flannel", deployedBy: "minos" },
  } as unknown as ClusterRequest;
  try {
    os.validate?.(request);
    return false;
  } catch {
    return true;
  }
}

describe("the README's OS × platform matrix", () => {
  const table = matrix();
  const clusterOses: [string, NodeOs][] = [
    ["Flatcar", flatcarOs()],
    ["Fedora CoreOS", fcosOs()],
    ["Talos", talosOs()],
  ];

  it("has a row per OS and a column per platform", () => {
    expect(Object.keys(table).sort()).toEqual(
      ["Bottlerocket", "Fedora CoreOS", "Flatcar", "Talos"].sort(),
    );
  });

  it.each(clusterOses)(
    "%s: platforms, delivery, arm64 and the HA endpoint as the code has them",
    (row, os) => {
      const cells = table[row] ?? {};
      for (const platform of PLATFORMS) {
        const cell = cells[column(platform)] ?? "";
        expect(os.platforms.includes(platform), `${row} on ${platform}`).toBe(cell !== "—");
        expect(cell, `${row} on ${platform}`).toContain("control plane");
        expect(cell, `${row} on ${platform}`).toContain(deliveryWords(os, platform));
        expect(cell.includes("amd64 only"), `${row} arm64 on ${platform}`).toBe(
          refusesArm64(os, platform),
        );
      }
      // KVM has no load balancer: 3, 5 or 7 control-plane nodes need an OS that holds the address.
      expect(cells[column("kvm")]?.includes("virtual IP")).toBe(os.holdsVirtualIp === true);
    },
  );

  it("Bottlerocket: workers only, on AWS only", () => {
    const os = bottlerocketRenderer({}, { kind: "bootstrap-token" }, "1.37.1");
    const cells = table.Bottlerocket ?? {};
    for (const platform of PLATFORMS)
      expect(os.platforms.includes(platform), platform).toBe(cells[column(platform)] !== "—");
    expect(() => os.delivery("gcp", "worker")).toThrow(/no GCE images/);
    expect(cells.AWS).toContain("**workers only**");
    expect(cells.AWS).toContain(deliveryWords(os, "aws"));
    expect(() => os.render("control-plane", {} as never)).toThrow(/workers/);
  });
});
