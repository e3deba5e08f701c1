import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { bottlerocketOs } from "@minos/bottlerocket";
import type { NodeOs } from "@minos/core";
import { DEFAULT_KUBERNETES_VERSION } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";
import { talosOs } from "@minos/talos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderableOs } from "../src/index.js";
import { OPERATING_SYSTEMS, render } from "../src/index.js";

// `minos render` as a user runs it (the built command) loads no @pulumi/*
// module, and prints the bytes the OS's full NodeOs renders from the same
// secrets file: what `minos render` printed when it rendered with the NodeOs.

const MAIN = new URL("../bin/minos.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "minos-render-light-"));
const LOG = join(dir, "loaded.json");
/** Preloaded into the command: writes every module under an @pulumi/ folder it loaded, at exit. */
const PROBE = join(dir, "pulumi-probe.cjs");
writeFileSync(
  PROBE,
  `process.on("exit", () => require("node:fs").writeFileSync(process.env.MINOS_LOADED_LOG,
  JSON.stringify(Object.keys(require.cache).filter((p) => /[\\\\/]@pulumi[\\\\/]/.test(p)))));\n`,
);

async function minos(args: string[]) {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [MAIN, ...args], {
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PROBE}`,
      MINOS_LOADED_LOG: LOG,
    },
  });
  const pulumi: string[] = JSON.parse(readFileSync(LOG, "utf8"));
  return { stdout, stderr, pulumi };
}

/** Each OS as `minos render` made it before it had renderers: the full NodeOs. */
const FULL: Record<string, RenderableOs["make"]> = {
  flatcar: () => flatcarOs(),
  fcos: () => fcosOs(),
  talos: () => talosOs(),
  bottlerocket: (v) =>
    bottlerocketOs({}, { kind: "bootstrap-token" }, v ?? DEFAULT_KUBERNETES_VERSION),
};

/** The payload `render` gives with each OS's full NodeOs in place of its renderer. */
async function fullNodeOsPayload(argv: string[]): Promise<string> {
  const renderers = Object.fromEntries(
    Object.entries(OPERATING_SYSTEMS).map(([name, os]) => [name, os.make]),
  );
  const made: NodeOs[] = [];
  for (const [name, make] of Object.entries(FULL))
    (OPERATING_SYSTEMS[name] as RenderableOs).make = (v) => {
      const os = make(v) as NodeOs;
      made.push(os);
      return os;
    };
  try {
    const result = await render(argv);
    if (result === "help") throw new Error("unexpected help");
    // The NodeOs did render it: it has what a renderer lacks.
    expect(made).toHaveLength(1);
    expect(typeof made[0]?.image).toBe("function");
    return result.payload;
  } finally {
    for (const [name, make] of Object.entries(renderers))
      (OPERATING_SYSTEMS[name] as RenderableOs).make = make;
  }
}

const CASES = [
  ...["flatcar", "fcos", "talos"].flatMap((os) =>
    ["control-plane", "control-plane-join", "worker"].flatMap((role) =>
      ["aws", "gcp", "kvm"].map((platform) => [os, role, platform] as const),
    ),
  ),
  ["bottlerocket", "worker", "aws"] as const,
];

describe("minos render without the Pulumi SDK", () => {
  const secrets = join(dir, "secrets.json");

  beforeAll(async () => {
    // One secrets file for every case, Talos's own secrets in it too.
    await minos(["render", "talos", "--role", "worker", "--platform", "kvm", "--secrets", secrets]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the probe sees @pulumi modules where they are loaded (minos plan --help)", async () => {
    const { pulumi } = await minos(["plan", "--help"]);
    expect(pulumi.some((p) => /[\\/]@pulumi[\\/]pulumi[\\/]/.test(p))).toBe(true);
  });

  it.each(CASES)(
    "%s %s on %s: no @pulumi module loaded, the NodeOs's bytes",
    async (os, role, platform) => {
      const argv = [os, "--role", role, "--platform", platform, "--secrets", secrets];
      const { stdout, stderr, pulumi } = await minos(["render", ...argv]);
      expect(pulumi).toEqual([]);
      expect(stderr).toMatch(
        new RegExp(`^minos: ${os} ${role} payload for ${platform}: \\d+ bytes`),
      );
      expect(stdout).toBe(await fullNodeOsPayload(argv));
    },
  );
});
