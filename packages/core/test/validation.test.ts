import { describe, expect, it } from "vitest";
import {
  MAX_CLUSTER_NAME,
  MinosError,
  parseCidr,
  parseKubernetesVersion,
  validateClusterName,
  validateControlPlaneCount,
  validateDisjoint,
  validateLabels,
  validateOsUpdates,
  validatePoolSize,
  validateSshKeys,
  validateTaints,
} from "../src/index.js";

/** Runs fn and returns the MinosError it throws. */
function errorOf(fn: () => unknown): MinosError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MinosError);
    return e as MinosError;
  }
  throw new Error("expected a MinosError");
}

describe("errors name the argument, the value and what is allowed", () => {
  it("formats all three", () => {
    const e = errorOf(() => validateControlPlaneCount("controlPlane.count", 2));
    expect(e.argument).toBe("controlPlane.count");
    expect(e.value).toBe(2);
    expect(e.message).toBe(
      "minos: invalid controlPlane.count: 2; use 1, 3, 5, 7 (etcd needs an odd member count)",
    );
  });
});

describe("Kubernetes version", () => {
  it.each(["1.31.0", "1.37.1", "1.34.12"])("accepts %s", (v) => {
    expect(parseKubernetesVersion("kubernetesVersion", v).text).toBe(v);
  });
  it.each([
    ["v1.37.1"],
    ["1.37"],
    ["1.30.9"],
    ["1.38.0"],
    ["2.31.0"],
    ["1.037.1"],
    [""],
    [137],
    [undefined],
  ])("refuses %j", (v) => {
    const e = errorOf(() => parseKubernetesVersion("kubernetesVersion", v));
    expect(e.message).toContain("minor 1.31 to 1.37");
  });
  it("parses the parts", () => {
    expect(parseKubernetesVersion("k", "1.33.4")).toMatchObject({ major: 1, minor: 33, patch: 4 });
  });
});

describe("CIDRs", () => {
  it("parses a network", () => {
    expect(parseCidr("podCidr", "10.244.0.0/16")).toMatchObject({ prefix: 16, base: 0x0af40000 });
  });
  it.each([
    "10.244.0.1/16",
    "10.244.0.0",
    "300.1.0.0/16",
    "10.0.0.0/33",
    "fd00::/64",
    "10.0.0.0/ 8",
  ])("refuses %s", (v) => {
    expect(errorOf(() => parseCidr("podCidr", v)).argument).toBe("podCidr");
  });
  it("refuses a prefix outside the allowed range", () => {
    expect(errorOf(() => parseCidr("serviceCidr", "10.0.0.0/8", 12, 24)).message).toContain(
      "/12 to /24",
    );
  });
  it("refuses overlapping networks, naming both", () => {
    const e = errorOf(() =>
      validateDisjoint({
        podCidr: parseCidr("podCidr", "10.0.0.0/8"),
        serviceCidr: parseCidr("serviceCidr", "10.96.0.0/12"),
      }),
    );
    expect(e.argument).toBe("serviceCidr");
    expect(e.message).toContain("must not overlap podCidr (10.0.0.0/8)");
  });
  it("accepts adjacent networks", () => {
    expect(() =>
      validateDisjoint({ a: parseCidr("a", "10.0.0.0/16"), b: parseCidr("b", "10.1.0.0/16") }),
    ).not.toThrow();
  });
});

describe("names clouds accept", () => {
  it("takes up to 31 characters: GCP's 63 less -worker-, a 16-character pool and an auto-name suffix", () => {
    expect(MAX_CLUSTER_NAME).toBe(31);
  });
  it.each(["a", "dev", "team-a-1", "x".repeat(31)])("accepts %s", (n) => {
    expect(validateClusterName("name", n)).toBe(n);
  });
  it.each(["", "Dev", "1dev", "dev-", "dev_a", "dev.a", "x".repeat(32)])("refuses %j", (n) => {
    expect(errorOf(() => validateClusterName("name", n)).message).toContain("1-31 characters");
  });
});

describe("counts", () => {
  it.each([0, 2, 4, 9, 1.5, "3", -1])("refuses control plane of %j", (n) => {
    expect(errorOf(() => validateControlPlaneCount("controlPlane.count", n)).argument).toBe(
      "controlPlane.count",
    );
  });
  it.each([-1, 1.5, 5001, Number.NaN, "2"])("refuses pool size %j", (n) => {
    expect(errorOf(() => validatePoolSize("nodePools.a.count", n)).message).toContain("0 to 5000");
  });
  it("accepts 0 and 5000 workers", () => {
    expect(validatePoolSize("n", 0)).toBe(0);
    expect(validatePoolSize("n", 5000)).toBe(5000);
  });
});

describe("labels and taints", () => {
  it("accepts ordinary and kubelet-settable labels", () => {
    const labels = { "example.com/tier": "gpu", team: "", "node.kubernetes.io/pool": "a" };
    expect(validateLabels("labels", labels)).toEqual(labels);
  });
  it("refuses node-role labels the kubelet may not set", () => {
    const e = errorOf(() =>
      validateLabels("nodePools.a.labels", { "node-role.kubernetes.io/worker": "" }),
    );
    expect(e.argument).toBe("nodePools.a.labels key");
    expect(e.message).toContain("may not set labels under kubernetes.io");
  });
  it.each([{ "bad key!": "x" }, { ok: "bad value!" }, { ok: "x".repeat(64) }])(
    "refuses %j",
    (l) => {
      expect(() => validateLabels("labels", l)).toThrow(MinosError);
    },
  );
  it("validates taint effects", () => {
    expect(errorOf(() => validateTaints("taints", [{ key: "a", effect: "Never" }])).argument).toBe(
      "taints[0].effect",
    );
  });
});

describe("SSH keys", () => {
  it("accepts OpenSSH public keys", () => {
    expect(validateSshKeys("k", ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB me@host"])).toHaveLength(
      1,
    );
  });
  it.each(["-----BEGIN OPENSSH PRIVATE KEY-----", "ssh-ed25519", "ssh-ed25519 AAAA\nssh-rsa AAAA"])(
    "refuses %j",
    (k) => {
      expect(errorOf(() => validateSshKeys("sshAuthorizedKeys", [k])).argument).toBe(
        "sshAuthorizedKeys[0]",
      );
    },
  );
});

describe("OS updates", () => {
  it("defaults to coordinated, and orders window days as the week does", () => {
    expect(validateOsUpdates("osUpdates", undefined)).toEqual({ mode: "coordinated" });
    expect(
      validateOsUpdates("osUpdates", {
        window: { days: ["Sun", "Mon"], start: "22:30", lengthMinutes: 90 },
      }),
    ).toEqual({
      mode: "coordinated",
      window: { days: ["Mon", "Sun"], start: "22:30", lengthMinutes: 90 },
    });
    expect(
      validateOsUpdates("osUpdates", { window: { start: "00:00", lengthMinutes: 1440 } }).window
        ?.days,
    ).toHaveLength(7);
  });

  it.each([
    [{ mode: "auto" }, "osUpdates.mode"],
    [{ mdoe: "off" }, "osUpdates.mdoe"],
    [{ mode: "off", window: { start: "02:00", lengthMinutes: 60 } }, "osUpdates.window"],
    [{ window: { days: ["Tuesday"], start: "02:00", lengthMinutes: 60 } }, "osUpdates.window.days"],
    [
      { window: { days: ["Mon", "Mon"], start: "02:00", lengthMinutes: 60 } },
      "osUpdates.window.days",
    ],
    [{ window: { start: "2:00", lengthMinutes: 60 } }, "osUpdates.window.start"],
    [{ window: { start: "23:45", lengthMinutes: 30 } }, "osUpdates.window.start"],
    [{ window: { start: "02:00", lengthMinutes: 10 } }, "osUpdates.window.lengthMinutes"],
    // Past midnight: the window would open on a day not listed.
    [{ window: { start: "22:00", lengthMinutes: 180 } }, "osUpdates.window.lengthMinutes"],
    ["coordinated", "osUpdates"],
  ])("refuses %j naming %s", (value, argument) => {
    expect(errorOf(() => validateOsUpdates("osUpdates", value)).argument).toBe(argument);
  });
});
