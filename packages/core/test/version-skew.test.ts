import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkKubeletSkew,
  checkKubernetesStep,
  kubernetesStepRefusal,
  MinosError,
  releaseOrder,
} from "../src/index.js";

/** What a throwing check threw. */
function thrown(fn: () => void): MinosError | undefined {
  try {
    fn();
  } catch (e) {
    return e as MinosError;
  }
  return undefined;
}

describe("a Kubernetes step on a running cluster", () => {
  it.each([
    ["1.36.3", "1.36.3", "same release"],
    ["1.36.3", "1.36.4", "later patch"],
    ["1.36.3", "1.36.10", "later patch, compared as numbers"],
    ["1.36.3", "1.37.0", "next minor, first patch"],
    ["1.36.3", "1.37.9", "next minor, any patch"],
    ["1.36.10", "1.37.0", "next minor from a high patch"],
  ])("takes %s -> %s (%s)", (from, to) => {
    expect(kubernetesStepRefusal(from, to)).toBeUndefined();
    expect(() => checkKubernetesStep(from, to)).not.toThrow();
  });

  it.each([
    ["1.36.3", "1.36.2", /never goes back/],
    ["1.36.3", "1.35.9", /never goes back/],
    ["1.36.3", "1.36.0", /never goes back/],
    ["1.36.3", "1.38.0", /1\.38\.0 skips 1\.37: .*move it to a 1\.37 release first/],
    ["1.36.3", "1.39.1", /skips 1\.37/],
    ["1.36.3", "2.0.0", /skips 1\.37/],
    ["1.36.3", "0.37.0", /never goes back/],
  ])("refuses %s -> %s", (from, to, why) => {
    const error = thrown(() => checkKubernetesStep(from, to));
    expect(error).toBeInstanceOf(MinosError);
    expect([error?.argument, error?.value]).toEqual(["kubernetesVersion", to]);
    expect(error?.message).toMatch(why);
    expect(error?.message).toContain(`the cluster runs ${from}`);
  });

  it("names what a downgrade could use instead", () => {
    expect(thrown(() => checkKubernetesStep("1.35.2", "1.34.9"))?.message).toBe(
      `minos: invalid kubernetesVersion: "1.34.9"; the cluster runs 1.35.2, and a running cluster never goes back to an older Kubernetes (etcd and the API's stored objects do not): use 1.35.2, a later 1.35 patch or a 1.36 release`,
    );
  });

  const release = fc.record({
    minor: fc.integer({ min: 20, max: 40 }),
    patch: fc.integer({ min: 0, max: 30 }),
  });
  const text = (r: { minor: number; patch: number }) => `1.${r.minor}.${r.patch}`;

  it("allows exactly: the same minor no lower, or the next minor", () => {
    fc.assert(
      fc.property(release, release, (from, to) => {
        const allowed =
          (to.minor === from.minor && to.patch >= from.patch) || to.minor === from.minor + 1;
        expect(kubernetesStepRefusal(text(from), text(to)) === undefined).toBe(allowed);
      }),
    );
  });

  it("never lets a cluster go back, and moves it at most one minor per step", () => {
    fc.assert(
      fc.property(release, fc.array(release, { maxLength: 8 }), (start, asks) => {
        // Apply each ask the rule takes, as a cluster's recorded release would move.
        let at = text(start);
        for (const ask of asks) {
          const to = text(ask);
          if (kubernetesStepRefusal(at, to) !== undefined) continue;
          expect(releaseOrder(to, at)).toBeGreaterThanOrEqual(0);
          expect(ask.minor - Number(at.split(".")[1])).toBeLessThanOrEqual(1);
          at = to;
        }
      }),
    );
  });

  it("orders releases as numbers, with or without a leading v", () => {
    fc.assert(
      fc.property(release, release, (a, b) => {
        const order = Math.sign(releaseOrder(text(a), `v${text(b)}`));
        const expected = Math.sign(a.minor - b.minor || a.patch - b.patch);
        expect(order).toBe(expected);
        expect(Math.sign(releaseOrder(text(b), text(a)))).toBe(-expected || 0);
      }),
    );
  });
});

describe("a kubelet beside a control plane", () => {
  it.each([
    ["1.37.1", "1.37.1"],
    ["1.37.9", "1.37.1"],
    ["1.36.0", "1.37.1"],
    ["1.34.2", "1.37.1"],
  ])("runs %s against %s", (kubelet, api) => {
    expect(() => checkKubeletSkew("cluster.kubernetesVersion", kubelet, api)).not.toThrow();
  });

  it.each([
    ["1.38.0", "1.37.1", /never newer than its API server: upgrade the cluster first/],
    ["1.33.9", "1.37.1", /at most 3 minors older: use a release from 1\.34 to 1\.37/],
  ])("refuses %s against %s", (kubelet, api, why) => {
    const error = thrown(() => checkKubeletSkew("cluster.kubernetesVersion", kubelet, api));
    expect(error).toBeInstanceOf(MinosError);
    expect(error?.argument).toBe("cluster.kubernetesVersion");
    expect(error?.message).toMatch(why);
  });
});
