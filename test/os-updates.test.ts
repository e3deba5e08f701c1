import { aws } from "@minos/aws";
import type { Cluster, OsUpdatesArgs } from "@minos/core";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { mockFcosStream } from "./support/fcos-stream.js";
import { fileContents } from "./support/ignition-files.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks, plain, resolved } from "./support/pulumi-mocks.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
  mockFcosStream();
});

const MODES: Record<string, OsUpdatesArgs | undefined> = {
  default: undefined,
  window: { window: { days: ["Sat", "Sun"], start: "02:00", lengthMinutes: 180 } },
  off: { mode: "off" },
};

async function build(os: "flatcar" | "fcos", name: string, osUpdates: OsUpdatesArgs | undefined) {
  const common = {
    platform: aws(),
    controlPlane: { count: 5 },
    nodePools: { general: { count: 3 } },
    ...(osUpdates && { osUpdates }),
  };
  let cluster: Cluster;
  if (os === "flatcar") {
    const { FlatcarCluster } = await import("@minos/flatcar");
    cluster = new FlatcarCluster(name, common);
  } else {
    const { FcosCluster } = await import("@minos/fcos");
    cluster = new FcosCluster(name, common);
  }
  const configs = await resolved(cluster.nodeConfigs);
  await new Promise((r) => setTimeout(r, 100));
  const mine = registered.filter((r) => r.name.startsWith(`${name}-`));
  return { configs, mine };
}

const units = (config: string) =>
  (JSON.parse(config).systemd?.units ?? []) as { name: string; mask?: boolean }[];

/**
 * Whether a control-plane payload can reboot for an OS update without the
 * cluster's one-at-a-time lock: the invariant every rendering must keep.
 */
function uncoordinatedReboot(
  os: string,
  config: string,
  lock: { fleetlockIp?: string },
): string | undefined {
  if (os === "flatcar") {
    // update_engine stages updates; only locksmithd would reboot for them on its own.
    const locksmithd = units(config).find((u) => u.name === "locksmithd.service");
    return locksmithd?.mask ? undefined : "locksmithd may reboot the node on its own";
  }
  const zincati = parseToml(
    fileContents(config, "/etc/zincati/config.d/55-minos-updates.toml"),
  ) as {
    updates?: { enabled?: boolean; strategy?: string; fleet_lock?: { base_url?: string } };
    identity?: { group?: string };
  };
  if (zincati.updates?.enabled === false) return undefined;
  if (zincati.updates?.strategy !== "fleet_lock")
    return `Zincati strategy ${zincati.updates?.strategy}`;
  if (zincati.updates.fleet_lock?.base_url !== `http://${lock.fleetlockIp}/`)
    return `Zincati asks ${zincati.updates.fleet_lock?.base_url}, not the cluster's FleetLock server`;
  if (zincati.identity?.group !== "control-plane") return `group ${zincati.identity?.group}`;
  return undefined;
}

describe("OS updates: no rendering lets two control-plane nodes reboot at once", () => {
  describe.each(["flatcar", "fcos"] as const)("%s", (os) => {
    it.each(Object.keys(MODES))("osUpdates %s", async (mode) => {
      if (os === "fcos" && mode === "window") {
        // Zincati keeps either a FleetLock lock or periodic windows: refused before anything exists.
        const before = registered.length;
        await expect(build(os, "fcwin", MODES[mode])).rejects.toThrow(/osUpdates.window/);
        expect(registered.length).toBe(before);
        return;
      }
      const { configs, mine } = await build(
        os,
        `${os.slice(0, 2)}${mode.slice(0, 3)}`,
        MODES[mode],
      );
      const daemonSets = mine.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet");
      const deployments = mine.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
      const services = mine.filter((r) => r.type === "kubernetes:core/v1:Service");
      const coordinator =
        os === "flatcar"
          ? daemonSets.find(
              (d) => plain<{ metadata: { name: string } }>(d.inputs).metadata.name === "kured",
            )
          : deployments.find(
              (d) => plain<{ metadata: { name: string } }>(d.inputs).metadata.name === "fleetlock",
            );
      if (mode === "off") expect(coordinator).toBeUndefined();
      else expect(coordinator, "the OS's coordinator runs by default").toBeDefined();

      if (os === "flatcar" && coordinator) {
        // kured's lock is cluster-wide with one holder: one node, of any role, at a time.
        const command = JSON.stringify(plain(coordinator.inputs));
        expect(command).toContain("--concurrency=1");
        expect(command).not.toMatch(/--lock-ttl=[1-9]/);
        if (mode === "window")
          expect(command).toContain(
            '"--reboot-days=sat,sun","--start-time=02:00","--end-time=05:00","--time-zone=UTC"',
          );
      }
      const fleetlockIp = plain<{ spec: { clusterIP?: string } }>(
        services.find((s) => s.name.includes("fleetlock"))?.inputs ?? { spec: {} },
      ).spec.clusterIP;

      const controlPlane = Object.entries(configs).filter(([key]) =>
        key.startsWith("control-plane"),
      );
      expect(controlPlane.length).toBeGreaterThan(0);
      for (const [key, config] of controlPlane)
        expect(
          uncoordinatedReboot(os, config, fleetlockIp ? { fleetlockIp } : {}),
          key,
        ).toBeUndefined();
    });
  });

  it("would catch a payload that lets locksmithd or Zincati reboot freely", () => {
    const bare = JSON.stringify({ ignition: { version: "3.3.0" }, systemd: { units: [] } });
    expect(uncoordinatedReboot("flatcar", bare, {})).toMatch(/locksmithd/);
    const immediate = JSON.stringify({
      ignition: { version: "3.3.0" },
      storage: {
        files: [
          {
            path: "/etc/zincati/config.d/55-minos-updates.toml",
            contents: { source: "data:,%5Bupdates%5D%0Astrategy%20%3D%20%22immediate%22%0A" },
          },
        ],
      },
    });
    expect(uncoordinatedReboot("fcos", immediate, {})).toMatch(/immediate/);
  });
});

describe("OS updates: Talos and Bottlerocket, which never update on their own", () => {
  it("Talos: a release change goes over Talos's API, control plane first, one node at a time", async () => {
    const { TalosCluster } = await import("@minos/talos");
    const cluster = new TalosCluster("tlup", { platform: aws(), controlPlane: { count: 3 } });
    await resolved(cluster.talosconfig);
    await new Promise((r) => setTimeout(r, 100));
    const [release] = registered.filter(
      (r) =>
        r.type === "pulumi-nodejs:dynamic/minos-talos:TalosUpgrade" && r.name.startsWith("tlup-"),
    );
    const ips = await resolved(cluster.controlPlaneIps);
    expect(ips).toHaveLength(3);
    // Sequencing is upgradeNodes' (talos upgrade-client tests); here: every control-plane node, in order.
    expect(plain<{ nodes: string[] }>(release?.inputs).nodes.slice(0, 3)).toEqual(ips);
  });

  it("Bottlerocket: pools roll new machines in first when the AMI changes", async () => {
    const { FlatcarCluster } = await import("@minos/flatcar");
    const { BottlerocketNodeGroup } = await import("@minos/bottlerocket");
    const cluster = new FlatcarCluster("brup", { platform: aws() });
    const group = new BottlerocketNodeGroup("brupw", {
      cluster,
      nodePools: { general: { count: 2 } },
    });
    await resolved(group.nodeConfigs);
    await new Promise((r) => setTimeout(r, 100));
    const [asg] = registered.filter(
      (r) => r.type === "aws:autoscaling/group:Group" && r.name.startsWith("brupw-"),
    );
    // One machine of two at a time, new ones first.
    expect(asg?.inputs.instanceRefresh).toMatchObject({
      strategy: "Rolling",
      preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 150 },
    });
    // The template names the AMI itself: a new one is a new version, which starts the refresh.
    const [template] = registered.filter(
      (r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.name.startsWith("brupw-"),
    );
    expect(template?.inputs.imageId).toMatch(/^ami-/);
  });
});
