import { describe, expect, it } from "vitest";
import type { PlatformClusterInfo } from "../src/contracts/platform.js";
import {
  apiAllowedCidrs,
  openApiWarning,
  refuseOpenMachineApi,
} from "../src/platform-kit/api-exposure.js";

const info = (over: Partial<PlatformClusterInfo> = {}): PlatformClusterInfo => ({
  name: "lab",
  controlPlaneCount: 1,
  apiPort: 6443,
  controlPlanePorts: [],
  sshEnabled: false,
  tags: {},
  groups: [],
  ...over,
});
const handedOver = [
  {
    name: "lab-control-plane",
    role: "control-plane" as const,
    pool: "control-plane",
    count: 1,
    maxCount: 1,
    firstIndex: 0,
    spot: false,
    delivery: "machine-api" as const,
  },
];

describe("the API's exposure", () => {
  it("defaults to the world and refuses an empty list", () => {
    expect(apiAllowedCidrs(undefined)).toEqual(["0.0.0.0/0"]);
    expect(apiAllowedCidrs(["203.0.113.0/24"])).toEqual(["203.0.113.0/24"]);
    expect(() => apiAllowedCidrs([])).toThrow(/list at least the network Pulumi runs from/);
  });

  it("warns, naming every port, only while the world reaches them", () => {
    expect(openApiWarning(info(), ["0.0.0.0/0"])).toMatch(
      /^Cluster lab: the control plane's port 6443 is open to the whole internet/,
    );
    expect(
      openApiWarning(info({ controlPlanePorts: [50000] }), ["10.0.0.0/8", "0.0.0.0/0"]),
    ).toMatch(/ports 6443 and 50000 are open/);
    expect(openApiWarning(info(), ["203.0.113.0/24"])).toBeUndefined();
  });

  it("refuses machine-api delivery while the ports are open, and only then", () => {
    expect(() => refuseOpenMachineApi(info({ groups: handedOver }), ["0.0.0.0/0"])).toThrow(
      /invalid apiAllowedCidrs.*unauthenticated port/,
    );
    expect(() =>
      refuseOpenMachineApi(info({ groups: handedOver }), ["203.0.113.0/24"]),
    ).not.toThrow();
    expect(() => refuseOpenMachineApi(info(), ["0.0.0.0/0"])).not.toThrow();
  });
});
