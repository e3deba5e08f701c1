import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterSecretMaterial } from "@minos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "../../../test/support/file-server.js";
import { sha256sums, startFileServer } from "../../../test/support/file-server.js";
import { ignitionApply } from "../../../test/support/ignition.js";
import { renderRole, testSecrets } from "../../../test/support/secrets.js";
import { haveTool, IGNITION_BINARY } from "../../../test/support/system-tools.js";
import { haveSysupdate, listDir, readInRoot, sysupdate } from "../../../test/support/sysupdate.js";
import { fcosOs } from "../src/index.js";

const haveTools = haveTool("Ignition", IGNITION_BINARY) && haveSysupdate();
const SYSEXT = "kubernetes-cri-o-1.34";
/** Builds as the project publishes them: newest patch only for Fedora 42, both arches for 43. */
const BUILDS = [
  `${SYSEXT}-1.34.2-1.fc42-42-x86-64.raw`,
  `${SYSEXT}-1.34.3-1.fc42-42-x86-64.raw`,
  `${SYSEXT}-1.34.2-1.fc43-43-x86-64.raw`,
  `${SYSEXT}-1.34.2-1.fc43-43-arm64.raw`,
];
const F44 = `${SYSEXT}-1.34.3-1.fc44-44-x86-64.raw`;

let secrets: ClusterSecretMaterial;
let server: FileServer;
let bytes: Record<string, Buffer>;

/** The project's redirector layout: `<base>/<sysext>/SHA256SUMS` and `<base>/<sysext>/<build>`. */
async function serve(builds: string[]) {
  await server?.close();
  bytes = Object.fromEntries(builds.map((b) => [b, randomBytes(4096)]));
  server = await startFileServer({
    [`/fedora/${SYSEXT}/SHA256SUMS`]: sha256sums(bytes),
    ...Object.fromEntries(builds.map((b) => [`/fedora/${SYSEXT}/${b}`, bytes[b] as Buffer])),
  });
}

beforeAll(async () => {
  secrets = await testSecrets();
  await serve(BUILDS);
});
afterAll(() => server?.close());

/** A Kubernetes 1.34 worker's payload applied by the real Ignition to an empty root. */
const freshWorker = () =>
  ignitionApply(
    renderRole(fcosOs({ sysext: { baseUrl: `${server.url}/fedora` } }), "worker", "kvm", secrets, {
      kubernetesVersion: "1.34.1",
    }),
  );

const osRelease = (root: string, versionId: number) =>
  writeFileSync(
    join(root, "etc/os-release"),
    `NAME="Fedora Linux"\nID=fedora\nVERSION_ID=${versionId}\nVARIANT_ID=coreos\n`,
  );

/**
 * The fetch unit's ExecCondition, run by a real shell against the scratch
 * root: true means "fetch", false means "this release's build is here".
 */
function wantsFetch(root: string, unit: string, versionId: number): boolean {
  const line = unit.split("\n").find((l) => l.startsWith("ExecCondition="));
  if (!line) throw new Error("no ExecCondition");
  const script = (/-c '(.*)'$/.exec(line)?.[1] ?? "")
    .replaceAll("$$", "$")
    .replaceAll("/var/lib/", `${root}/var/lib/`);
  try {
    execFileSync("sh", ["-c", script], { env: { VERSION_ID: String(versionId) } });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!haveTools)("FCOS sysext through the real systemd-sysupdate", () => {
  it("installs only the node's own Fedora release's build, and the next release's after an upgrade", async () => {
    await serve(BUILDS);
    const run = await freshWorker();
    expect(run.code, run.log).toBe(0);
    const { root } = run;
    // A fresh node's /var/lib holds nothing of sysext's: Ignition made both
    // directories (root, 0755) and asked SELinux to relabel them.
    expect(listDir(root, "var/lib")).toEqual(["extensions", "extensions.d"]);
    for (const dir of ["var/lib/extensions", "var/lib/extensions.d"]) {
      const st = statSync(join(root, dir));
      expect([st.mode & 0o7777, st.uid, st.gid], dir).toEqual([0o755, 0, 0]);
      // setfiles relabels each path it is given and everything below it.
      const covering = run
        .relabeled()
        .filter((p) => `/${dir}` === p || `/${dir}`.startsWith(`${p}/`));
      expect(covering, dir).not.toEqual([]);
    }
    const unit = readFileSync(join(root, "etc/systemd/system/kubernetes-sysext.service"), "utf8");

    // First boot on Fedora 43: nothing installed, so the unit fetches.
    osRelease(root, 43);
    expect(wantsFetch(root, unit, 43)).toBe(true);
    const first = await sysupdate(root, SYSEXT);
    expect(first.code, first.output).toBe(0);
    // The Fedora 43 build, although a newer Fedora 42 build is listed too.
    expect(listDir(root, "var/lib/extensions.d")).toEqual([
      `${SYSEXT}-1.34.2-1.fc43-43-x86-64.raw`,
    ]);
    expect(readlinkSync(join(root, `var/lib/extensions/${SYSEXT}.raw`))).toBe(
      `../extensions.d/${SYSEXT}-1.34.2-1.fc43-43-x86-64.raw`,
    );
    expect(
      readFileSync(join(root, "var/lib/extensions.d", `${SYSEXT}-1.34.2-1.fc43-43-x86-64.raw`)),
    ).toEqual(bytes[`${SYSEXT}-1.34.2-1.fc43-43-x86-64.raw`]);
    // Every later boot on 43 leaves it alone.
    expect(wantsFetch(root, unit, 43)).toBe(false);

    // Zincati moves the node to Fedora 44: the unit fetches again before kubelet is needed.
    await serve([...BUILDS, F44]);
    writeFileSync(
      join(root, `etc/sysupdate.${SYSEXT}.d/${SYSEXT}.conf`),
      readFileSync(join(root, `etc/sysupdate.${SYSEXT}.d/${SYSEXT}.conf`), "utf8").replace(
        /http:\/\/127\.0\.0\.1:\d+/,
        server.url,
      ),
    );
    osRelease(root, 44);
    expect(wantsFetch(root, unit, 44)).toBe(true);
    const upgrade = await sysupdate(root, SYSEXT);
    expect(upgrade.code, upgrade.output).toBe(0);
    // What systemd-sysext merges is now the Fedora 44 build. (systemd 254 rewrites the
    // link chain rather than the link itself, so read through it, as systemd-sysext does.)
    expect(readInRoot(root, `/var/lib/extensions/${SYSEXT}.raw`)).toEqual(bytes[F44]);
    expect(wantsFetch(root, unit, 44)).toBe(false);
  });

  it("stops as a fresh node would without the directories the transfer names", async () => {
    await serve(BUILDS);
    const run = await freshWorker();
    expect(run.code, run.log).toBe(0);
    osRelease(run.root, 43);
    // Without the builds' directory, sysupdate cannot resolve its target...
    rmSync(join(run.root, "var/lib/extensions.d"), { recursive: true });
    const noBuilds = await sysupdate(run.root, SYSEXT);
    expect(noBuilds.code).not.toBe(0);
    expect(noBuilds.output).toMatch(/Failed to resolve '\/var\/lib\/extensions\.d\/?'/);
    // ...and without the merge directory it installs the build but not the link systemd-sysext reads.
    rmSync(join(run.root, "var/lib/extensions"), { recursive: true });
    mkdirSync(join(run.root, "var/lib/extensions.d"));
    const noLink = await sysupdate(run.root, SYSEXT);
    expect(noLink.code).not.toBe(0);
    expect(noLink.output).toMatch(/Failed to update current symlink/);
  });

  it("finds nothing to install where the project has no build for the node's release", async () => {
    await serve(BUILDS);
    const run = await freshWorker();
    expect(run.code, run.log).toBe(0);
    osRelease(run.root, 41);
    const none = await sysupdate(run.root, SYSEXT);
    expect(listDir(run.root, "var/lib/extensions.d")).toEqual([]);
    expect(none.output).toMatch(/No update needed|No suitable|not find/i);
  });
});
