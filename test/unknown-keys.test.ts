import { aws, eksCluster } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import { TalosCluster } from "@minos/talos";
import { beforeAll, describe, expect, it } from "vitest";
import { EKS_FACTS as EKS } from "./support/eks.js";
import type { OPTION_TYPES } from "./support/option-paths.js";
import { optionPaths } from "./support/option-paths.js";
import { installMocks } from "./support/pulumi-mocks.js";

// Every object an option type holds refuses a key it does not know, at any
// depth: the paths come from the types themselves, so a new nested option
// is covered the day it is added.

const ROOT = new URL("..", import.meta.url).pathname;
const UNKNOWN = "zzNotAnOption";

/** What an object at a path needs besides the unknown key, to get that far. */
const NEEDS: Record<string, Record<string, unknown>> = {
  "nodePools.<key>": { count: 1 },
  "controlPlane.taints[0]": { key: "k", effect: "NoSchedule" },
  "nodePools.<key>.taints[0]": { key: "k", effect: "NoSchedule" },
  "osUpdates.window": { start: "02:00", lengthMinutes: 60 },
};

/** Arguments with the unknown key in the object at `path` (`""`: the top). */
function argsWith(path: string): Record<string, unknown> {
  const parts = path === "" ? [] : path.split(".");
  const build = (i: number, at: string): unknown => {
    const here = { ...(NEEDS[at] ?? {}) } as Record<string, unknown>;
    if (i === parts.length) return { ...here, [UNKNOWN]: 1 };
    const part = parts[i] as string;
    const list = part.endsWith("[0]");
    const name = list ? part.slice(0, -3) : part;
    const next = [at, part].filter(Boolean).join(".");
    // A map's key, named `a`.
    if (name === "<key>") return { ...here, a: build(i + 1, next) };
    const child = build(i + 1, next);
    return { ...here, [name]: list ? [child] : child };
  };
  return build(0, "") as Record<string, unknown>;
}

let n = 0;
const MAKE: Record<keyof typeof OPTION_TYPES, (args: Record<string, unknown>) => unknown> = {
  flatcar: (a) => new FlatcarCluster(`unknown-${n++}`, { platform: aws(), ...a } as never),
  fcos: (a) => new FcosCluster(`unknown-${n++}`, { platform: aws(), ...a } as never),
  talos: (a) => new TalosCluster(`unknown-${n++}`, { platform: aws(), ...a } as never),
  bottlerocket: (a) =>
    new BottlerocketNodeGroup(`unknown-${n++}`, {
      cluster: eksCluster(EKS, { kubernetesVersion: "1.35.2" }),
      nodePools: { a: { count: 1 } },
      ...a,
    } as never),
  eks: (a) => eksCluster(EKS, { kubernetesVersion: "1.35.2", ...a }),
  aws: (a) => aws(a as never),
  gcp: (a) => gcp({ region: "europe-west1", ...a } as never),
  kvm: (a) => kvm(a as never),
};

const paths = optionPaths(ROOT);
beforeAll(() => {
  installMocks();
});

describe("unknown keys are refused at every depth of every option type", () => {
  it("walks the types and finds their nested objects", () => {
    expect(paths.flatcar).toEqual(
      expect.arrayContaining([
        "nodePools.<key>.rollout",
        "osUpdates.window",
        "controlPlane.taints[0]",
      ]),
    );
    expect(paths.kvm).toContain("uefiFirmware.arm64");
  });

  const cases = Object.entries(paths).flatMap(([what, list]) =>
    ["", ...list].map((path) => [what, path] as [keyof typeof OPTION_TYPES, string]),
  );
  it.each(cases)("%s at %j", (what, path) => {
    const args = argsWith(path);
    let error: unknown;
    try {
      (MAKE[what] as (a: Record<string, unknown>) => unknown)(args);
    } catch (e) {
      error = e;
    }
    expect((error as Error | undefined)?.name, JSON.stringify(args)).toBe("MinosError");
    const where = path.replaceAll("<key>", "a");
    expect((error as { argument?: string }).argument).toBe(where ? `${where}.${UNKNOWN}` : UNKNOWN);
  });
});
