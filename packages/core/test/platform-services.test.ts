import { describe, expect, it } from "vitest";
import { MinosError } from "../src/errors.js";
import {
  controllerSwitchRefusal,
  kubernetesVersionGateProvider,
} from "../src/readiness/kubernetes-version-gate.js";
import { resolvePlatformServices } from "../src/validation/platform-services.js";

const ALL = {
  name: "cloud",
  services: ["controller", "volumes", "loadBalancers", "autoscaler"],
} as const;
const only = (...services: ("controller" | "volumes" | "loadBalancers" | "autoscaler")[]) => ({
  name: "cloud",
  services,
});

describe("platformServices", () => {
  it("turns on every part the platform offers, and none it lacks", () => {
    expect(resolvePlatformServices("platformServices", undefined, ALL)).toEqual({
      controller: true,
      volumes: true,
      loadBalancers: true,
      // Only when asked.
      autoscaler: false,
    });
    expect(resolvePlatformServices("platformServices", { autoscaler: true }, ALL).autoscaler).toBe(
      true,
    );
    expect(resolvePlatformServices("platformServices", {}, only("volumes"))).toEqual({
      controller: false,
      volumes: true,
      loadBalancers: false,
      autoscaler: false,
    });
    // Asked for where the platform has none: off, so one program names the same switches everywhere.
    expect(
      resolvePlatformServices("platformServices", { controller: true, autoscaler: true }, only()),
    ).toEqual({ controller: false, volumes: false, loadBalancers: false, autoscaler: false });
  });

  it("turns off what the user brings their own of", () => {
    expect(
      resolvePlatformServices("platformServices", { volumes: false, loadBalancers: false }, ALL),
    ).toEqual({ controller: true, volumes: false, loadBalancers: false, autoscaler: false });
  });

  it("turns off with the controller what needs it, and refuses it asked for without", () => {
    const aws = { ...ALL, servicesNeedingController: ["volumes", "loadBalancers"] } as const;
    expect(resolvePlatformServices("platformServices", { controller: false }, aws)).toEqual({
      controller: false,
      volumes: false,
      loadBalancers: false,
      autoscaler: false,
    });
    // Elsewhere volumes stand alone.
    expect(resolvePlatformServices("platformServices", { controller: false }, ALL).volumes).toBe(
      true,
    );
    expect(() =>
      resolvePlatformServices("platformServices", { controller: false, volumes: true }, aws),
    ).toThrow(/platformServices\.volumes.*needs platformServices\.controller/s);
    expect(() =>
      resolvePlatformServices("platformServices", { controller: false, autoscaler: true }, ALL),
    ).toThrow(/platformServices\.autoscaler.*needs/s);
  });

  it("turns off what the OS cannot take there, and refuses it asked for", () => {
    const talosOnGcp = { volumes: "its node plugin needs /etc/udev" };
    expect(resolvePlatformServices("platformServices", {}, ALL, talosOnGcp).volumes).toBe(false);
    expect(resolvePlatformServices("platformServices", {}, ALL, talosOnGcp).controller).toBe(true);
    expect(() =>
      resolvePlatformServices("platformServices", { volumes: true }, ALL, talosOnGcp),
    ).toThrow(
      /platformServices\.volumes.*not on cloud with this OS: its node plugin needs \/etc\/udev/s,
    );
  });

  it("refuses what is not a switch, and a misspelt part", () => {
    expect(() => resolvePlatformServices("platformServices", true, ALL)).toThrow(MinosError);
    expect(() => resolvePlatformServices("platformServices", { volumes: "yes" }, ALL)).toThrow(
      /platformServices\.volumes.*true or false/s,
    );
    expect(() => resolvePlatformServices("platformServices", { controler: false }, ALL)).toThrow(
      /controler.*controller/s,
    );
  });
});

describe("the version gate and platformServices.controller", () => {
  const gate = (externalCloudProvider?: boolean) => ({
    version: "1.36.5",
    ...(externalCloudProvider !== undefined && { externalCloudProvider }),
  });

  it("lets a new cluster take either, and a running one keep its own", () => {
    expect(controllerSwitchRefusal(undefined, gate(true))).toBeUndefined();
    expect(controllerSwitchRefusal(gate(true), gate(true))).toBeUndefined();
    expect(controllerSwitchRefusal(gate(false), gate(false))).toBeUndefined();
    // Recorded before the switch existed: its kubelets run without.
    expect(controllerSwitchRefusal(gate(), gate(false))).toBeUndefined();
  });

  it("refuses at preview a running cluster the controller, and one that has it, none", async () => {
    expect(controllerSwitchRefusal(gate(), gate(true))).toMatch(/delete them from the cluster/);
    expect(controllerSwitchRefusal(gate(true), gate(false))).toMatch(/uninitialized/);
    const checked = await kubernetesVersionGateProvider.check?.(
      gate() as never,
      gate(true) as never,
    );
    expect(checked?.failures).toEqual([
      {
        property: "externalCloudProvider",
        reason: expect.stringMatching(
          /^minos: invalid platformServices\.controller: true; .*controller: false/s,
        ),
      },
    ]);
  });
});
