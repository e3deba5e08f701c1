import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterSecretMaterial, MinosPlatform, NodeOs, NodeRole } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "./support/file-server.js";
import { sha256sums, startFileServer } from "./support/file-server.js";
import { ignitionApply } from "./support/ignition.js";
import type { Boot, Call, RehearsalRoot, RehearsedOs } from "./support/rehearsal.js";
import {
  boot,
  calls,
  FEDORA,
  haveRehearsal,
  IN_CONTAINER_URL,
  REHEARSAL_PROVIDER_ID,
  rehearsalRoot,
  sysextImage,
} from "./support/rehearsal.js";
import { renderRole, testSecrets } from "./support/secrets.js";
import { haveTool, IGNITION_BINARY } from "./support/system-tools.js";

const ready = haveTool("Ignition", IGNITION_BINARY) && haveRehearsal();

const KUBERNETES = "1.36.5";
const MINOR = "1.36";
/** Flatcar: the bakery's file name; FCOS: the Fedora sysexts project's build for the root's release. */
const FLATCAR_RAW = `kubernetes-v${KUBERNETES}-x86-64.raw`;
const FCOS_SYSEXT = `kubernetes-cri-o-${MINOR}`;
const FCOS_BUILD = `${FCOS_SYSEXT}-${KUBERNETES}-1.fc${FEDORA}-${FEDORA}-x86-64.raw`;

let secrets: ClusterSecretMaterial;
/** The host's stand-in for the sysext bakery and for the cloud's payload store. */
let server: FileServer;
const served: Record<string, Buffer | string> = {};
let flatcarImage: Buffer;
let fcosImage: Buffer;

beforeAll(async () => {
  if (!ready) return;
  secrets = await testSecrets();
  flatcarImage = sysextImage("flatcar", "kubernetes");
  fcosImage = sysextImage("fcos", FCOS_SYSEXT);
  served[`/extensions/${FLATCAR_RAW}`] = flatcarImage;
  server = await startFileServer(served);
});
afterAll(() => server?.close());

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** The OS as a cluster would configure it, its sysext served by the stand-ins. */
function nodeOs(os: RehearsedOs): NodeOs {
  return os === "flatcar"
    ? flatcarOs({
        sysext: {
          baseUrl: `${server.url}/extensions`,
          hashes: { [FLATCAR_RAW]: `sha256-${sha256(flatcarImage)}` },
        },
      })
    : fcosOs({ sysext: { baseUrl: `${IN_CONTAINER_URL}/fedora` } });
}

/**
 * What the node is handed on `platform`: on KVM the payload itself; on AWS
 * and GCP the OS's pointer to it, the payload kept on the host's stand-in
 * for the bucket (Ignition fetches it over HTTP instead of S3 or GCS, and
 * checks it against the pointer's hash all the same).
 */
function handed(
  os: NodeOs,
  role: NodeRole,
  platform: MinosPlatform,
  payload: string,
): { config: string; pointer: boolean } {
  const delivery = os.delivery(platform, role);
  const pointer =
    delivery.kind === "user-data" || delivery.kind === "metadata" ? delivery.pointer : undefined;
  if (!pointer) return { config: payload, pointer: false };
  const key = `/payloads/${os.name}/${platform}/${role}`;
  served[key] = payload;
  return { config: pointer(`${server.url}${key}`, payload), pointer: true };
}

interface Rehearsal {
  root: RehearsalRoot;
  payload: string;
  ignitionLog: string;
  boots: Boot[];
  calls: Call[];
}

/** Applies the node's first-boot payload with the real Ignition and boots the result twice. */
async function rehearse(
  os: RehearsedOs,
  role: NodeRole,
  platform: MinosPlatform,
  edit: (payload: string) => string = (p) => p,
): Promise<Rehearsal> {
  const nodeOsOf = nodeOs(os);
  const payload = edit(
    renderRole(nodeOsOf, role, platform, secrets, {
      kubernetesVersion: KUBERNETES,
      // On KVM, three control-plane nodes hold a virtual address with kube-vip.
      virtualIp: platform === "kvm",
    }),
  );
  const inContainer: Record<string, Buffer | string> =
    os === "fcos"
      ? {
          [`fedora/${FCOS_SYSEXT}/SHA256SUMS`]: sha256sums({ [FCOS_BUILD]: fcosImage }),
          [`fedora/${FCOS_SYSEXT}/${FCOS_BUILD}`]: fcosImage,
        }
      : {};
  const root = rehearsalRoot(os, inContainer, platform === "kvm" ? undefined : platform);
  const { config } = handed(nodeOsOf, role, platform, payload);
  const applied = await ignitionApply(config, root.root);
  if (applied.code !== 0) throw new Error(`Ignition failed:\n${applied.log}`);
  const boots = [await boot(root, 1), await boot(root, 2)];
  return { root, payload, ignitionLog: applied.log, boots, calls: calls(root) };
}

/** The Ignition config with one unit's contents (or drop-in's) changed, or a part of storage dropped. */
function editUnit(unit: string, change: (contents: string) => string, dropin?: string) {
  return (payload: string) => {
    const config = JSON.parse(payload);
    const u = config.systemd.units.find((x: { name: string }) => x.name === unit);
    if (!u) throw new Error(`no unit ${unit}`);
    if (dropin) {
      const d = u.dropins.find((x: { name: string }) => x.name === dropin);
      d.contents = change(d.contents);
    } else u.contents = change(u.contents);
    return JSON.stringify(config);
  };
}

const journalIndex = (b: Boot | undefined, pattern: RegExp) =>
  (b?.journal ?? "").split("\n").findIndex((line) => pattern.test(line));

/** Units the node's boot depends on besides the payload's own: the sysext's and the OS's. */
const OURS = new Set([
  "kubelet.service",
  "crio.service",
  "containerd.service",
  "zincati.service",
  "systemd-sysext.service",
  "ensure-sysext.service",
]);
/** The units an Ignition payload writes or enables. */
const payloadUnits = (payload: string) =>
  new Set<string>((JSON.parse(payload).systemd?.units ?? []).map((u: { name: string }) => u.name));

const OSES: RehearsedOs[] = ["flatcar", "fcos"];
const ROLES: NodeRole[] = ["control-plane", "control-plane-join", "worker"];
const PLATFORMS: MinosPlatform[] = ["aws", "gcp", "kvm"];
const CASES = OSES.flatMap((os) =>
  ROLES.flatMap((role) => PLATFORMS.map((platform) => [os, role, platform] as const)),
);

const describeIf = ready ? describe : describe.skip;

describeIf("first boot, rehearsed with real Ignition, systemd 257, sysupdate and sysext", () => {
  it.concurrent.each(CASES)(
    "%s %s on %s: merged, kubeadm once, kubelet up, and so again after a reboot",
    // One retry: under a loaded full run, systemd 257 in nspawn has once
    // failed to spawn a unit's executor ("Failed to spawn executor: No such
    // file or directory"); a defect of ours fails both attempts alike.
    { timeout: 600_000, retry: 1 },
    async (os, role, platform) => {
      const r = await rehearse(os, role, platform);
      try {
        const [first, second] = r.boots as [Boot, Boot];
        const context = `${os} ${role} ${platform}\n${first.journal.slice(-6000)}`;
        for (const [n, b] of [
          [1, first],
          [2, second],
        ] as const) {
          // No unit of ours (the payload's, the sysext's, the OS's around them) failed;
          // nothing hung; startup ended. Debian's own units are not the node's.
          const ours = b.failed.filter(
            (line) =>
              OURS.has(line.split(" ")[0] ?? "") ||
              payloadUnits(r.payload).has(line.split(" ")[0] ?? ""),
          );
          expect(ours.join("\n"), `boot ${n}: ${context}`).toBe("");
          expect(b.jobs, `boot ${n}: ${b.journal.slice(-4000)}`).toBe("");
          expect(b.state, `boot ${n}`).toBe("running");
          // The extension is merged, and the kubelet runs from it.
          expect(b.sysext).toMatch(
            os === "fcos" ? /\/usr\s+kubernetes-cri-o-1\.36\s/ : /\/usr\s+kubernetes\s/,
          );
          expect(b.units["kubelet.service"]?.ActiveState, `boot ${n}`).toBe("active");
          expect(
            r.calls.some(
              (c) =>
                c.boot === n &&
                c.program === "kubelet" &&
                c.args.includes("--config=/var/lib/kubelet/config.yaml"),
            ),
          ).toBe(true);
          if (os === "fcos") {
            // Zincati starts, so tells FleetLock the node is back, only once the node serves.
            const zincati = r.calls.find((c) => c.boot === n && c.program === "zincati");
            const kubelet = r.calls.filter((c) => c.boot === n && c.program === "kubelet").at(-1);
            expect(zincati, `boot ${n}`).toBeDefined();
            expect(zincati?.uptime).toBeGreaterThanOrEqual(kubelet?.uptime ?? Number.NaN);
          }
        }
        // kubeadm ran exactly once, on the first boot, as the role asks, with the config the unit names.
        const kubeadm = r.calls.filter((c) => c.program === "kubeadm");
        expect(kubeadm.map((c) => [c.boot, ...c.args])).toEqual([
          [1, role === "control-plane" ? "init" : "join", "--config=/etc/kubernetes/kubeadm.yaml"],
        ]);
        const given = readFileSync(join(r.root.root, "var/log/rehearsal/kubeadm-1.yaml"), "utf8");
        expect(given).toMatch(
          role === "control-plane" ? /^kind: InitConfiguration$/m : /^kind: JoinConfiguration$/m,
        );
        if (role === "control-plane-join") expect(given).toMatch(/^controlPlane:$/m);
        // The extension was merged (on FCOS, first fetched) before kubeadm started.
        const started = journalIndex(first, /Starting kubeadm\.service/);
        expect(journalIndex(first, /Using extensions '/)).toBeLessThan(started);
        expect(journalIndex(first, /Using extensions '/)).toBeGreaterThanOrEqual(0);
        if (os === "fcos") {
          const installed = journalIndex(first, /Successfully installed update/);
          expect(installed).toBeGreaterThanOrEqual(0);
          expect(installed).toBeLessThan(started);
          expect(second.units["kubernetes-sysext.service"]?.Result).toBe("exec-condition");
        } else {
          // kubeadm requires containerd and starts after it.
          const units = first.units;
          expect(
            Number(units["containerd.service"]?.ActiveEnterTimestampMonotonic),
          ).toBeGreaterThan(0);
          expect(
            Number(units["containerd.service"]?.ActiveEnterTimestampMonotonic),
          ).toBeLessThanOrEqual(Number(units["kubeadm.service"]?.ExecMainStartTimestampMonotonic));
        }
        // On a cloud, the node read its provider ID from the metadata service
        // before kubeadm, and the kubelet registers with it.
        const kubeletConfig = readFileSync(
          join(r.root.root, "var/log/rehearsal/kubelet-config-1.yaml"),
          "utf8",
        );
        if (platform === "kvm") expect(kubeletConfig).not.toContain("providerID");
        else {
          expect(kubeletConfig).toContain(`providerID: ${REHEARSAL_PROVIDER_ID[platform]}`);
          expect(first.units["minos-provider-id.service"]?.Result).toBe("success");
          expect(journalIndex(first, /minos: provider ID /)).toBeLessThan(started);
          expect(journalIndex(first, /minos: provider ID /)).toBeGreaterThanOrEqual(0);
          expect(given).toMatch(/name: cloud-provider\n\s+value: external/);
        }
        // The second boot skipped kubeadm on its condition.
        expect(second.journal).toMatch(
          /kubeadm\.service.*skipped, unmet condition check ConditionPathExists=!\/etc\/kubernetes\/kubelet\.conf/,
        );
        // HA control planes on KVM: the ExecStartPost swapped kube-vip to admin.conf.
        const vip = join(r.root.root, "etc/kubernetes/manifests/kube-vip.yaml");
        if (platform === "kvm" && role !== "worker") {
          expect(readFileSync(vip, "utf8")).toBe(
            readFileSync(join(r.root.root, "etc/minos/kube-vip.yaml"), "utf8"),
          );
          expect(readFileSync(vip, "utf8")).toContain("/etc/kubernetes/admin.conf");
        } else expect(existsSync(vip)).toBe(false);
      } finally {
        r.root.dispose();
      }
    },
  );
});

describeIf("the rehearsal fails when a unit is broken on purpose", () => {
  it.concurrent("FCOS without the fetch ordered before kubeadm: kubeadm is not there yet and fails", async () => {
    const r = await rehearse(
      "fcos",
      "worker",
      "kvm",
      editUnit("kubernetes-sysext.service", (c) =>
        c.replace("Before=kubeadm.service zincati.service\n", ""),
      ),
    );
    try {
      expect(r.boots[0]?.failed.join("\n")).toMatch(/kubeadm\.service/);
      expect(r.calls.filter((c) => c.program === "kubeadm" && c.boot === 1)).toEqual([]);
    } finally {
      r.root.dispose();
    }
  }, 600_000);

  it.concurrent("Flatcar without kubeadm's condition: kubeadm runs again on the second boot", async () => {
    const r = await rehearse(
      "flatcar",
      "worker",
      "kvm",
      editUnit("kubeadm.service", (c) =>
        c.replace("ConditionPathExists=!/etc/kubernetes/kubelet.conf\n", ""),
      ),
    );
    try {
      expect(r.calls.filter((c) => c.program === "kubeadm").map((c) => c.boot)).toEqual([1, 2]);
    } finally {
      r.root.dispose();
    }
  }, 600_000);

  it.concurrent("FCOS without the extension directories: the fetch fails and kubeadm never runs", async () => {
    const r = await rehearse("fcos", "worker", "kvm", (payload) => {
      const config = JSON.parse(payload);
      config.storage.directories = [];
      return JSON.stringify(config);
    });
    try {
      expect(r.boots[0]?.failed.join("\n")).toMatch(/kubernetes-sysext\.service/);
      expect(r.calls.filter((c) => c.program === "kubeadm")).toEqual([]);
    } finally {
      r.root.dispose();
    }
  }, 600_000);

  it.concurrent("FCOS with Zincati's health wait inside the boot: every later boot hangs until its timeout", async () => {
    const r = await rehearse(
      "fcos",
      "worker",
      "kvm",
      editUnit(
        "zincati.service",
        (c) => c.replace(/^After=(.*) multi-user\.target$/m, "After=$1"),
        "50-minos-node-serves.conf",
      ),
    );
    try {
      // The first boot's kubeadm starts the kubelet itself; the second has only the sysext's
      // Upholds=, which waits for multi-user.target, which waits for Zincati.
      expect(r.boots[0]?.state).toBe("running");
      expect(r.boots[1]?.jobs).toMatch(/zincati\.service\s+start\s+running/);
      expect(r.boots[1]?.units["kubelet.service"]?.ActiveState).not.toBe("active");
    } finally {
      r.root.dispose();
    }
  }, 600_000);
});
