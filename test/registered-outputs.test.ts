import type { MinosPlatform } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { everyOs } from "./support/every-os.js";
import { isSecretInput, plain, resolved } from "./support/pulumi-mocks.js";

/**
 * What a component exposes as a value: its Outputs and plain strings,
 * numbers and booleans. Resources (`provider`, `ready`), lists and records of
 * them (`machines`, `addons`) and the platform's handles are for the program,
 * not for stack outputs; Pulumi's own fields start with `__`.
 */
function exposedValues(component: pulumi.Resource): [string, unknown][] {
  return Object.entries(component).filter(
    ([key, value]) =>
      !key.startsWith("__") &&
      key !== "urn" &&
      (pulumi.Output.isInstance(value) || ["string", "number", "boolean"].includes(typeof value)),
  );
}

describe.each<MinosPlatform>(["aws", "gcp", "kvm"])("registered outputs on %s", (platform) => {
  it("every component registers every value it exposes, secrets as secrets", async () => {
    const run = await everyOs(platform, { stack: `outputs-${platform}` });
    const types = new Set(run.components.map((c) => c.type));
    expect([...types].sort()).toEqual(
      [
        "minos:core:ClusterSecrets",
        "minos:fcos:FcosCluster",
        "minos:flatcar:FlatcarCluster",
        "minos:talos:TalosCluster",
        "minos:talos:TalosSecrets",
        ...(platform === "aws" ? ["minos:bottlerocket:BottlerocketNodeGroup"] : []),
      ].sort(),
    );
    for (const { type, resource } of run.components) {
      const urn = await resolved(resource.urn);
      const outputs = run.outputs.get(urn);
      expect(outputs, `${type} registered no outputs`).toBeDefined();
      const exposed = exposedValues(resource);
      expect(exposed.length, `${type} exposes nothing`).toBeGreaterThan(0);
      for (const [key, value] of exposed) {
        const where = `${type} ${urn.split("::").at(-1)} .${key}`;
        expect(Object.keys(outputs ?? {}), where).toContain(key);
        const registered = outputs?.[key];
        if (pulumi.Output.isInstance(value)) {
          const wanted = JSON.parse(JSON.stringify((await resolved(value)) ?? null));
          expect(plain(registered) ?? null, where).toEqual(wanted);
          expect(isSecretInput(registered), where).toBe(await pulumi.isSecret(value));
        } else {
          expect(registered, where).toEqual(value);
        }
      }
    }
    // The values issue 20 found missing, by name.
    const talos = run.components.find((c) => c.type === "minos:talos:TalosCluster");
    const talosOutputs = run.outputs.get(await resolved(talos?.resource.urn ?? pulumi.output("")));
    expect(Object.keys(talosOutputs ?? {})).toEqual(
      expect.arrayContaining([
        "talosconfig",
        "etcdBootstrap",
        "kubeconfig",
        "nodeConfigsRedacted",
        "nodes",
        "timings",
        "kubernetesVersion",
      ]),
    );
    expect(isSecretInput(talosOutputs?.talosconfig)).toBe(true);
  });
});
