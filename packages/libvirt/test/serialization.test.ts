import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { haveTool } from "../../../test/support/system-tools.js";

// Node's own require: Pulumi serializes the compiled package, not vitest's transform of it.
const load = createRequire(import.meta.url);
const nativePulumi = load("@pulumi/pulumi") as typeof pulumi;
const { providerShim } = load("../dist/shim.js") as typeof import("../src/shim.js");
const NAMES = ["network", "baseImage", "disk", "configDisk", "domain"] as const;

describe("dynamic providers serialize", () => {
  it.each(NAMES)(
    "%s: the shim serializes to a loader of @minos/libvirt/providers, found through @minos/kvm too",
    async (name) => {
      const shim = providerShim(name);
      const serialized = await nativePulumi.runtime.serializeFunction(() => shim);
      expect(serialized.text).toContain('specifier: "@minos/libvirt/providers"');
      expect(serialized.text).toContain(`name: "${name}"`);
      expect(serialized.text).toMatch(/var __via = \["@minos\/kvm"\];/);
    },
  );

  it.skipIf(!haveTool("virsh", "virsh"))(
    "a serialized shim runs in a fresh process and reaches the real provider",
    async () => {
      const shim = providerShim("network");
      const serialized = await nativePulumi.runtime.serializeFunction(() => shim);
      // Inside the workspace, where a user's program would resolve the package from.
      const dir = mkdtempSync(join(__dirname, "..", ".serialized-"));
      try {
        const file = join(dir, "provider.js");
        writeFileSync(file, serialized.text);
        const script = `require(${JSON.stringify(file)}).handler().read("minos-absent", { uri: "test:///default" }).then((r) => console.log(JSON.stringify(r)))`;
        expect(execFileSync("node", ["-e", script], { encoding: "utf8" }).trim()).toBe("{}");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
