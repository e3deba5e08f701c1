import type { MinosPlatform } from "@minos/core";
import { beforeAll, describe, expect, it } from "vitest";
import type { EveryOsRun } from "./support/every-os.js";
import { everyOs } from "./support/every-os.js";
import { plain } from "./support/pulumi-mocks.js";

/** The taint every kubelet with the external cloud provider registers with, until the controller has seen it. */
const UNINITIALIZED = {
  key: "node.cloudprovider.kubernetes.io/uninitialized",
  value: "true",
  effect: "NoSchedule",
};

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** Whether a toleration lets a pod onto a node with `taint`, as the scheduler decides it. */
function tolerates(t: Toleration, taint: typeof UNINITIALIZED): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === "Exists") return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === taint.value;
}

/** Pod tolerations of a workload object, or a Helm release's `tolerations` value. */
function tolerationsOf(inputs: Record<string, unknown>): Toleration[] {
  const spec = inputs.spec as { template?: { spec?: { tolerations?: Toleration[] } } } | undefined;
  if (spec?.template) return spec.template.spec?.tolerations ?? [];
  return ((inputs.values as { tolerations?: Toleration[] } | undefined)?.tolerations ??
    []) as Toleration[];
}

/**
 * What must run on nodes the controller has not initialized yet: the CNI
 * (no node is Ready without it), the controller itself, and on GCP the
 * disk driver's controller, which runs beside it. Matched on type and name.
 */
const BEFORE_THE_CONTROLLER: Record<"aws" | "gcp", RegExp[]> = {
  aws: [/apps\/v1:DaemonSet .*-flannel$/, /helm\.sh\/v3:Release .*-aws-cloud-controller$/],
  gcp: [
    /apps\/v1:DaemonSet .*-flannel$/,
    /apps\/v1:DaemonSet .*-ccm-/,
    /apps\/v1:Deployment .*-pd-controller$/,
  ],
};

describe.each<"aws" | "gcp">(["aws", "gcp"])("nodes tainted uninitialized on %s", (platform) => {
  let run: EveryOsRun;
  beforeAll(async () => {
    run = await everyOs(platform as MinosPlatform, { stack: `uninitialized-${platform}` });
  });

  it("the CNI and the controller tolerate it: the controller can start, and nodes get Ready", () => {
    for (const pattern of BEFORE_THE_CONTROLLER[platform]) {
      const objects = run.registered.filter((r) => pattern.test(`${r.type} ${r.name}`));
      // Flannel runs in the Flatcar and FCOS clusters (Talos brings its own); the controller in all three.
      expect(objects.length, String(pattern)).toBeGreaterThanOrEqual(2);
      for (const o of objects) {
        const tolerations = tolerationsOf(plain<Record<string, unknown>>(o.inputs));
        expect(
          tolerations.some((t) => tolerates(t, UNINITIALIZED)),
          `${o.name}: ${JSON.stringify(tolerations)}`,
        ).toBe(true);
      }
    }
  });

  it("nginx does not: it waits for the controller, as every workload does", () => {
    const nginx = run.registered.filter(
      (r) => r.type === "kubernetes:apps/v1:Deployment" && r.name.endsWith("-web"),
    );
    expect(nginx.length).toBe(3);
    for (const o of nginx)
      expect(
        tolerationsOf(plain<Record<string, unknown>>(o.inputs)).some((t) =>
          tolerates(t, UNINITIALIZED),
        ),
      ).toBe(false);
  });
});

describe("tolerates, as the scheduler reads a toleration", () => {
  it("matches Exists with or without a key, and Equal only on key and value", () => {
    expect(tolerates({ operator: "Exists" }, UNINITIALIZED)).toBe(true);
    expect(tolerates({ operator: "Exists", effect: "NoExecute" }, UNINITIALIZED)).toBe(false);
    expect(
      tolerates({ key: UNINITIALIZED.key, value: "true", effect: "NoSchedule" }, UNINITIALIZED),
    ).toBe(true);
    expect(tolerates({ key: UNINITIALIZED.key, value: "false" }, UNINITIALIZED)).toBe(false);
    expect(
      tolerates(
        { key: "node-role.kubernetes.io/control-plane", operator: "Exists" },
        UNINITIALIZED,
      ),
    ).toBe(false);
  });
});
