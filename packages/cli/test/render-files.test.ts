import { execFile } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ignitionApply } from "../../../test/support/ignition.js";
import { haveTool, IGNITION_BINARY } from "../../../test/support/system-tools.js";
import { writeIgnitionTree } from "../src/index.js";

const MINOS = fileURLToPath(new URL("../bin/minos.js", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "minos-files-"));
const run = (args: string[]) => promisify(execFile)(process.execPath, [MINOS, ...args]);

/** Every path under `root`: `f <mode> <sha>` for files, `d <mode>` for folders, `l -> target` for links. */
function tree(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const path = `/${relative(root, full)}`;
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) found[path] = `l -> ${readlinkSync(full)}`;
      else if (st.isDirectory()) {
        found[path] = `d ${mode}`;
        walk(full);
      } else found[path] = `f ${mode} ${readFileSync(full).toString("base64")}`;
    }
  };
  walk(root);
  return found;
}

const haveIgnition = haveTool("Ignition", IGNITION_BINARY);

/** Ignition writes its preset lines in Go's map order, a new one each run: compared as a set. */
const PRESET = "/etc/systemd/system-preset/20-ignition.preset";
const presetLines = (root: string) =>
  readFileSync(join(root, PRESET), "utf8").split("\n").filter(Boolean).sort();

describe.skipIf(!haveIgnition)("minos render --files, against the real Ignition", () => {
  it.each([
    ["flatcar", "control-plane", "kvm"],
    ["flatcar", "worker", "gcp"],
    ["fcos", "control-plane", "gcp"],
    ["fcos", "worker", "kvm"],
  ])(
    "%s %s on %s: every file, folder and link as Ignition writes it",
    async (os, role, platform) => {
      const dir = tmp();
      const args = ["render", os, "--role", role, "--platform", platform];
      const secrets = ["--secrets", join(dir, "secrets.json")];
      const { stdout: config } = await run([...args, ...secrets]);
      const files = join(dir, "files");
      const written = await run([...args, ...secrets, "--files", files]);
      expect(written.stdout).toBe("");
      expect(written.stderr).toMatch(
        /^minos: \S+ \S+ payload for \S+: \d+ bytes.*\nminos: wrote \d+ files, \d+ directories, \d+ links and \d+ units under \S+; enabled [^\n]+\n$/,
      );

      // Remote contents are listed, not fetched: Ignition gets the config without them.
      const parsed = JSON.parse(config);
      const remote = (parsed.storage?.files ?? []).filter(
        (f: { contents?: { source?: string } }) => !f.contents?.source?.startsWith("data:"),
      );
      const readme = readFileSync(join(files, "README"), "utf8");
      for (const f of remote) expect(readme).toContain(`${f.path} <- ${f.contents.source}`);
      parsed.storage.files = parsed.storage.files.filter((f: object) => !remote.includes(f));
      const ignition = await ignitionApply(JSON.stringify(parsed));
      expect(ignition.code, ignition.log).toBe(0);

      const ours = tree(files);
      delete ours["/README"];
      const theirs = tree(ignition.root);
      // Everything minos wrote, Ignition wrote the same: contents, modes, link targets.
      for (const [path, what] of Object.entries(ours))
        if (path === PRESET) expect(presetLines(ignition.root), path).toEqual(presetLines(files));
        else expect(theirs[path], path).toBe(what);
      // And Ignition wrote nothing else but what the README says it leaves to the node.
      const extra = Object.keys(theirs).filter(
        (p) => !(p in ours) && !/^\/(etc\/selinux|home|etc\/\.ignition-result\.json)/.test(p),
      );
      expect(extra).toEqual([]);
      // The point of it: kubeadm's config, readable.
      const kubeadm = parseAllDocuments(
        readFileSync(join(files, "etc/kubernetes/kubeadm.yaml"), "utf8"),
      ).map((d) => d.toJS());
      expect(kubeadm[0].apiVersion).toBe("kubeadm.k8s.io/v1beta4");
      expect(statSync(join(files, "etc/kubernetes/kubeadm.yaml")).mode & 0o777).toBe(0o600);
    },
    120_000,
  );
});

describe("minos render --files for one-document OSes, and what it refuses", () => {
  it.each([
    ["talos", "control-plane", "kvm", "machine-config.yaml"],
    ["bottlerocket", "worker", "aws", "user-data.toml"],
  ])("%s writes its one document, 0600", async (os, role, platform, name) => {
    const dir = tmp();
    const args = ["render", os, "--role", role, "--platform", platform];
    const secrets = ["--secrets", join(dir, "secrets.json")];
    const { stdout } = await run([...args, ...secrets]);
    const { stderr } = await run([...args, ...secrets, "--files", join(dir, "out")]);
    expect(readFileSync(join(dir, "out", name), "utf8")).toBe(stdout);
    expect(statSync(join(dir, "out", name)).mode & 0o777).toBe(0o600);
    expect(stderr).toContain(
      `minos: wrote ${join(dir, "out", name)}: the one document the node reads`,
    );
  });

  it("refuses a folder that is not empty, exit 2, writing nothing", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "mine"), "keep");
    await expect(
      run(["render", "flatcar", "--role", "worker", "--platform", "kvm", "--files", dir]),
    ).rejects.toMatchObject({
      code: 2,
      stdout: "",
      stderr: `minos: --files ${dir}: the folder is not empty; name a new or empty one\n`,
    });
    expect(readdirSync(dir)).toEqual(["mine"]);
  });
});

describe("writeIgnitionTree", () => {
  const data = (text: string) => `data:,${encodeURIComponent(text)}`;
  const gzip = (text: string) => `data:;base64,${gzipSync(text).toString("base64")}`;

  it("decodes plain and gzip data URLs, appends, hard links, drop-ins, and lists what it cannot write", () => {
    const dir = join(tmp(), "root");
    const result = writeIgnitionTree(
      {
        ignition: { version: "3.4.0" },
        storage: {
          directories: [{ path: "/var/lib/x", mode: 0o700 }],
          files: [
            {
              path: "/etc/a.conf",
              mode: 0o640,
              contents: { source: data("é%\n") },
              append: [{ source: gzip("more\n"), compression: "gzip" }],
            },
            { path: "/etc/empty", contents: {} } as never,
            {
              path: "/opt/big.raw",
              contents: {
                source: "https://example.com/big.raw",
                verification: { hash: "sha512-ab" },
              },
            },
          ],
          links: [{ path: "/etc/b.conf", target: "/etc/a.conf", hard: true }],
        },
        systemd: {
          units: [
            {
              name: "x.service",
              enabled: false,
              contents: "[Unit]\n",
              dropins: [{ name: "10-y.conf", contents: "[Service]\n" }],
            },
            { name: "z.service", mask: true },
          ],
        },
      },
      dir,
    );
    expect(readFileSync(join(dir, "etc/a.conf"), "utf8")).toBe("é%\nmore\n");
    expect(statSync(join(dir, "etc/a.conf")).mode & 0o777).toBe(0o640);
    expect(statSync(join(dir, "etc/b.conf")).ino).toBe(statSync(join(dir, "etc/a.conf")).ino);
    expect(readFileSync(join(dir, "etc/empty"), "utf8")).toBe("");
    expect(statSync(join(dir, "var/lib/x")).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(dir, "etc/systemd/system/x.service.d/10-y.conf"), "utf8")).toBe(
      "[Service]\n",
    );
    expect(readlinkSync(join(dir, "etc/systemd/system/z.service"))).toBe("/dev/null");
    expect(readFileSync(join(dir, "etc/systemd/system-preset/20-ignition.preset"), "utf8")).toBe(
      "disable x.service\n",
    );
    expect(result).toMatchObject({
      files: 2,
      directories: 1,
      links: 1,
      units: 1,
      disabled: ["x.service"],
      masked: ["z.service"],
    });
    expect(result.remote).toEqual(["/opt/big.raw <- https://example.com/big.raw (sha512-ab)"]);
    expect(readFileSync(join(dir, "README"), "utf8")).toContain(
      "Masked units (linked to /dev/null):\n  z.service\n",
    );
  });

  it("refuses a path outside the root", () => {
    const dir = tmp();
    mkdirSync(join(dir, "root"));
    expect(() =>
      writeIgnitionTree(
        { storage: { files: [{ path: "/../escape", contents: { source: data("x") } }] } },
        join(dir, "root"),
      ),
    ).toThrow('--files: the config writes "/../escape", outside the root');
    expect(readdirSync(dir)).toEqual(["root"]);
  });
});
