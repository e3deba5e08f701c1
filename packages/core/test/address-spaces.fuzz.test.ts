import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anything, fakeOs, fakePlatform, onlyMinosErrors } from "../../../test/support/fuzz.js";
import { claimAddresses } from "../src/cluster/address-spaces.js";
import type { Platform } from "../src/index.js";
import {
  nthAddress,
  overlaps,
  parseCidr,
  refuseUnknownKeys,
  resolveClusterArgs,
} from "../src/index.js";
import { validateTags } from "../src/validation/tags.js";

/** A network: any base, cut to a prefix from /8 to /28 with no host bits. */
const cidr = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 28 }))
  .map(([ip, prefix]) => {
    const base = ip - (ip % 2 ** (32 - prefix));
    return `${nthAddress({ text: "", base: 0, prefix: 0 }, base)}/${prefix}`;
  });

/** Every run claims in an address space of its own, so runs do not meet. */
let spaces = 0;
const platformIn = (space: string, nodeCidr: string) =>
  ({
    name: "kvm",
    nodeCidr,
    addressSpace: { id: space, cidrArgument: "cidr" },
  }) as unknown as Platform;

describe("claimAddresses under random networks", () => {
  it("refuses exactly the clusters whose networks clash with another's, naming both", () => {
    const cluster = fc.record({ node: cidr, podCidr: cidr, serviceCidr: cidr });
    fc.assert(
      fc.property(cluster, cluster, fc.boolean(), (a, b, sameSpace) => {
        const space = `space ${spaces++}`;
        claimAddresses({ name: "a", ...a }, platformIn(space, a.node));
        const error = onlyMinosErrors(() =>
          claimAddresses({ name: "b", ...b }, platformIn(sameSpace ? space : `${space}'`, b.node)),
        );
        const [aNode, aPod, aService, bNode, bPod, bService] = [
          a.node,
          a.podCidr,
          a.serviceCidr,
          b.node,
          b.podCidr,
          b.serviceCidr,
        ].map((c) => parseCidr("c", c)) as [
          ReturnType<typeof parseCidr>,
          ReturnType<typeof parseCidr>,
          ReturnType<typeof parseCidr>,
          ReturnType<typeof parseCidr>,
          ReturnType<typeof parseCidr>,
          ReturnType<typeof parseCidr>,
        ];
        const clash =
          sameSpace &&
          (overlaps(aNode, bNode) ||
            overlaps(bPod, aNode) ||
            overlaps(bService, aNode) ||
            overlaps(bNode, aPod) ||
            overlaps(bNode, aService));
        expect(error !== undefined).toBe(clash);
        if (error) {
          expect(["platform.cidr", "podCidr", "serviceCidr"]).toContain(error.argument);
          expect(error.message).toMatch(/cluster "b".*cluster "a"/);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("lets a cluster of the same name claim again, and claims nothing without an address space", () => {
    const space = `space ${spaces++}`;
    claimAddresses(
      { name: "a", podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12" },
      platformIn(space, "10.77.0.0/24"),
    );
    expect(() =>
      claimAddresses(
        { name: "a", podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12" },
        platformIn(space, "10.77.0.0/24"),
      ),
    ).not.toThrow();
    const cloud = { name: "aws", nodeCidr: "10.77.0.0/24" } as unknown as Platform;
    for (const name of ["x", "y"])
      expect(() =>
        claimAddresses({ name, podCidr: "10.77.0.0/16", serviceCidr: "10.96.0.0/12" }, cloud),
      ).not.toThrow();
  });
});

describe("the checks made stricter, under random input", () => {
  it("tags: only MinosErrors, and what passes is strings within the clouds' limits", () => {
    fc.assert(
      fc.property(
        fc.oneof(anything, fc.dictionary(fc.string(), fc.oneof(fc.string(), anything))),
        (tags) => {
          if (onlyMinosErrors(() => validateTags("tags", tags)) || tags === undefined) return;
          for (const [key, value] of Object.entries(tags as object)) {
            expect(key.length).toBeGreaterThan(0);
            expect(key.length).toBeLessThanOrEqual(128);
            expect(key).not.toMatch(/^(aws:|goog)/i);
            expect(key).not.toBe("minos:expires-at");
            expect(typeof value).toBe("string");
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("readiness and schedulable: only MinosErrors, and what passes is what the cluster reads", () => {
    const args = fc.record(
      {
        readiness: fc.oneof(
          anything,
          fc.record(
            {
              waitFor: fc.oneof(fc.constantFrom("api", "nodes"), anything),
              timeoutSeconds: fc.oneof(fc.integer({ min: 0, max: 8000 }), anything),
              waitfor: anything,
            },
            { requiredKeys: [] },
          ),
        ),
        controlPlane: fc.record(
          { schedulable: fc.oneof(fc.boolean(), anything) },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(args, (a) => {
        const error = onlyMinosErrors(() =>
          resolveClusterArgs("a", fakeOs, { platform: fakePlatform, ...(a as object) }),
        );
        if (error) return;
        const r = (a.readiness ?? {}) as Record<string, unknown>;
        expect(Object.keys(r).every((k) => k === "waitFor" || k === "timeoutSeconds")).toBe(true);
        expect([undefined, "api", "nodes"]).toContain(r.waitFor);
        const s = (a.controlPlane as { schedulable?: unknown } | undefined)?.schedulable;
        expect([undefined, true, false]).toContain(s);
      }),
      { numRuns: 2000 },
    );
  });

  it("unknown keys: refused with the list, and a hint only for a known key", () => {
    const known = ["nodePools", "controlPlane", "podCidr", "serviceCidr", "tags"];
    fc.assert(
      fc.property(fc.dictionary(fc.string(), anything), (value) => {
        const error = onlyMinosErrors(() => refuseUnknownKeys("", value, known));
        const unknown = Object.keys(value).filter((k) => !known.includes(k));
        expect(error !== undefined).toBe(unknown.length > 0);
        if (!error) return;
        // Named as given, or quoted where it is blank or holds quotes.
        expect(unknown.flatMap((k) => [k, JSON.stringify(k)])).toContain(error.argument);
        expect(error.message).toContain("use controlPlane, nodePools, podCidr, serviceCidr, tags");
        const hint = /did you mean (\S+)\?/.exec(error.message)?.[1];
        if (hint) expect(known).toContain(hint);
      }),
      { numRuns: 2000 },
    );
  });
});
