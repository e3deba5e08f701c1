import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anything, fakeOs, fakePlatform, onlyMinosErrors } from "../../../test/support/fuzz.js";
import {
  MinosError,
  parseCidr,
  parseKubernetesVersion,
  resolveClusterArgs,
  validateClusterName,
  validateKubeletArgs,
  validateLabels,
  validateRollout,
  validateSshKeys,
  validateTaints,
} from "../src/index.js";

describe("validators under random input", () => {
  it("string validators throw only MinosErrors", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), anything), (value) => {
        onlyMinosErrors(() => parseKubernetesVersion("kubernetesVersion", value));
        onlyMinosErrors(() => parseCidr("podCidr", value));
        onlyMinosErrors(() => validateClusterName("name", value));
        onlyMinosErrors(() => validateSshKeys("sshAuthorizedKeys", [value]));
      }),
      { numRuns: 2000 },
    );
  });

  it("object validators throw only MinosErrors", () => {
    fc.assert(
      fc.property(anything, fc.dictionary(fc.string(), anything), (value, dict) => {
        onlyMinosErrors(() => validateLabels("labels", value));
        onlyMinosErrors(() => validateLabels("labels", dict));
        onlyMinosErrors(() => validateTaints("taints", value));
        onlyMinosErrors(() => validateTaints("taints", [dict]));
        onlyMinosErrors(() => validateKubeletArgs("kubeletExtraArgs", dict));
      }),
      { numRuns: 2000 },
    );
  });

  it("resolveClusterArgs throws only MinosErrors for any args", () => {
    const args = fc.record(
      {
        kubernetesVersion: fc.oneof(fc.string(), fc.constantFrom("1.33.0", "1.37.1")),
        podCidr: fc.oneof(
          fc.string(),
          fc.ipV4().map((ip) => `${ip}/16`),
        ),
        serviceCidr: fc.oneof(fc.string(), fc.constant("10.96.0.0/12")),
        controlPlane: fc.record(
          { count: fc.oneof(fc.integer(), anything), labels: anything, taints: anything },
          { requiredKeys: [] },
        ),
        nodePools: fc.oneof(
          anything,
          fc.dictionary(
            fc.string(),
            fc.record(
              { count: fc.oneof(fc.integer(), anything), rollout: anything },
              { requiredKeys: ["count"] },
            ),
          ),
        ),
        sshAuthorizedKeys: anything,
        certSans: anything,
        arch: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.string(), args, (name, a) => {
        onlyMinosErrors(() =>
          resolveClusterArgs(name, fakeOs, { platform: fakePlatform, ...(a as object) }),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("rollout: anything is a checked amount or a MinosError; accepted amounts keep their value", () => {
    const amount = fc.oneof(
      anything,
      fc.integer({ min: -10, max: 6000 }),
      fc.double(),
      fc.integer({ min: -5, max: 200 }).map((n) => `${n}%`),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          anything,
          fc.record({ maxSurge: amount, maxUnavailable: amount }, { requiredKeys: [] }),
        ),
        (value) => {
          let rollout: ReturnType<typeof validateRollout>;
          try {
            rollout = validateRollout("rollout", value);
          } catch (e) {
            if (!(e instanceof MinosError)) throw e;
            expect(e.message).toMatch(/^minos: invalid rollout/);
            return;
          }
          if (value === undefined) {
            expect(rollout).toBeUndefined();
            return;
          }
          const given = value as Record<"maxSurge" | "maxUnavailable", unknown>;
          for (const key of ["maxSurge", "maxUnavailable"] as const) {
            const a = rollout?.[key];
            if (given[key] === undefined) expect(a).toBeUndefined();
            else if (typeof given[key] === "number") expect(a).toEqual({ machines: given[key] });
            else expect(a).toEqual({ percent: Number.parseInt(String(given[key]), 10) });
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("valid CIDRs round-trip", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 32 }),
        (ip, prefix) => {
          const base = ip - (ip % 2 ** (32 - prefix));
          const text = `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join(".")}/${prefix}`;
          expect(parseCidr("c", text)).toMatchObject({ base, prefix });
        },
      ),
    );
  });
});
