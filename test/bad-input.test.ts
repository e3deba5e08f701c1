import { aws } from "@minos/aws";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import { TalosCluster } from "@minos/talos";
import { beforeAll, describe, expect, it } from "vitest";
import { installMocks, type RegisteredResource } from "./support/pulumi-mocks.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
});

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMinosTestKey test@minos";

/** Bad input that used to be accepted silently or refused only after resources existed. */
const CASES: [string, () => unknown, string, RegExp][] = [
  [
    "a typo at the top",
    () => new FlatcarCluster("a", { platform: kvm(), nodepools: { a: { count: 1 } } } as never),
    "nodepools",
    /did you mean nodePools/,
  ],
  [
    "a typo in an OS option",
    () => new FcosCluster("a", { platform: kvm(), strem: "next" } as never),
    "strem",
    /did you mean stream/,
  ],
  [
    "a typo in a Talos option",
    () => new TalosCluster("a", { platform: kvm(), talosVersoin: "1.13.9" } as never),
    "talosVersoin",
    /did you mean talosVersion/,
  ],
  [
    "a typo in a pool",
    () =>
      new FlatcarCluster("a", {
        platform: kvm(),
        nodePools: { a: { count: 1, labls: {} } },
      } as never),
    "nodePools.a.labls",
    /did you mean labels/,
  ],
  [
    "a typo in the control plane",
    () => new FlatcarCluster("a", { platform: kvm(), controlPlane: { cont: 1 } } as never),
    "controlPlane.cont",
    /did you mean count/,
  ],
  [
    "spot on kvm",
    () => new FlatcarCluster("a", { platform: kvm(), nodePools: { a: { count: 1, spot: true } } }),
    "nodePools.a.spot",
    /no spot capacity/,
  ],
  ["an S3-reserved name", () => new FlatcarCluster("xn--a", { platform: aws() }), "name", /xn--/],
  [
    "a GCP-reserved name",
    () => new FlatcarCluster("google", { platform: gcp({ region: "europe-west1" }) }),
    "name",
    /goog/,
  ],
  [
    "an AWS-reserved tag",
    () => new FlatcarCluster("a", { platform: aws(), tags: { "aws:team": "x" } }),
    "tags.aws:team",
    /reserved/,
  ],
  [
    "an AWS instance type of no known shape",
    () => new FlatcarCluster("a", { platform: aws(), controlPlane: { machineType: "t3.nope" } }),
    "controlPlane.machineType",
    /t3\.medium/,
  ],
  [
    "a GCP machine type of no known shape",
    () =>
      new FlatcarCluster("a", {
        platform: gcp({ region: "europe-west1" }),
        nodePools: { a: { count: 1, machineType: "big" } },
      }),
    "nodePools.a.machineType",
    /e2-standard-2/,
  ],
  [
    "SSH ranges without keys on AWS",
    () => new FlatcarCluster("a", { platform: aws({ sshAllowedCidrs: ["203.0.113.0/24"] }) }),
    "sshAllowedCidrs",
    /sshAuthorizedKeys/,
  ],
  [
    "SSH ranges without keys on GCP",
    () =>
      new FlatcarCluster("a", {
        platform: gcp({ region: "europe-west1", sshAllowedCidrs: ["203.0.113.0/24"] }),
      }),
    "sshAllowedCidrs",
    /sshAuthorizedKeys/,
  ],
];

describe("bad input is refused, naming the argument, before any resource exists", () => {
  it.each(CASES)("%s", (_what, make, argument, allowed) => {
    const before = registered.length;
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error, "no error").toBeInstanceOf(Error);
    expect((error as { argument?: string }).argument).toBe(argument);
    expect((error as Error).message).toMatch(allowed);
    expect(registered.length).toBe(before);
  });

  it("still takes what is right: keys, SSH ranges with keys, real machine types", () => {
    expect(
      () =>
        new FlatcarCluster("ok", {
          platform: aws({ sshAllowedCidrs: ["203.0.113.0/24"] }),
          sshAuthorizedKeys: [KEY],
          controlPlane: { machineType: "m7g.2xlarge" },
          nodePools: { a: { count: 1, machineType: "c6in.metal-24xl" } },
          channel: "beta",
        }),
    ).not.toThrow();
  });
});
