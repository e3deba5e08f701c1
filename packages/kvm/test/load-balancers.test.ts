import { readFileSync } from "node:fs";
import type { PlannedGroup } from "@minos/core";
import { parseCidr } from "@minos/core";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, plain } from "../../../test/support/pulumi-mocks.js";
import type { KvmPlatformArgs } from "../src/index.js";
import { kvm } from "../src/index.js";
import { loadBalancerBlock } from "../src/load-balancer-addresses.js";
import { METALLB_VALUES, metallb } from "../src/metallb.js";
import { METALLB_CHART_REPO, METALLB_CHART_VERSION } from "../src/versions.js";

const fixture = (file: string) =>
  readFileSync(new URL(`./fixtures/metallb/${file}`, import.meta.url), "utf8");
const block = (cidr: string, value?: unknown) => loadBalancerBlock(parseCidr("cidr", cidr), value);

describe("loadBalancerAddresses", () => {
  it("takes 8 addresses just below the DHCP range by default, on any network size", () => {
    expect(block("10.77.0.0/24")).toEqual({
      first: "10.77.0.120",
      last: "10.77.0.127",
      from: 120,
      to: 127,
    });
    expect(block("10.77.0.64/26")).toMatchObject({ first: "10.77.0.88", last: "10.77.0.95" });
    expect(block("10.77.0.0/16")).toMatchObject({
      first: "10.77.127.248",
      last: "10.77.127.255",
    });
  });

  it("takes a count the same way, and a block as given", () => {
    expect(block("10.77.0.0/24", 1)).toMatchObject({ first: "10.77.0.127", last: "10.77.0.127" });
    expect(block("10.77.0.0/24", 117)).toMatchObject({ first: "10.77.0.11", last: "10.77.0.127" });
    expect(block("10.77.0.0/24", "10.77.0.60-10.77.0.80")).toEqual({
      first: "10.77.0.60",
      last: "10.77.0.80",
      from: 60,
      to: 80,
    });
    // Between the gateway and the API's address, or a single one.
    expect(block("10.77.0.0/24", "10.77.0.2-10.77.0.4")).toMatchObject({ from: 2, to: 4 });
    expect(block("10.77.0.0/24", "10.77.0.6-10.77.0.6")).toMatchObject({ from: 6, to: 6 });
  });

  it.each([
    ["no address", 0],
    ["a negative count", -3],
    ["a fraction", 1.5],
    ["NaN", Number.NaN],
    ["more than fit above the first control-plane node", 118],
    ["a block reaching into DHCP's range", "10.77.0.120-10.77.0.128"],
    ["a block inside DHCP's range", "10.77.0.200-10.77.0.210"],
    ["the gateway", "10.77.0.1-10.77.0.4"],
    ["the network's address", "10.77.0.0-10.77.0.4"],
    ["the API's virtual address", "10.77.0.2-10.77.0.9"],
    ["another network's block", "10.78.0.20-10.78.0.30"],
    ["a block backwards", "10.77.0.30-10.77.0.20"],
    ["leading zeros", "10.77.0.020-10.77.0.030"],
    ["an octet past 255", "10.77.0.20-10.77.0.256"],
    ["a CIDR", "10.77.0.96/29"],
    ["one address alone", "10.77.0.20"],
    ["spaces", "10.77.0.20 - 10.77.0.30"],
    ["a count as text", "8"],
    ["true", true],
    ["a list", ["10.77.0.20-10.77.0.30"]],
    ["null", null],
  ])("refuses %s before anything exists, saying what it takes", (_, value) => {
    const make = () => kvm({ loadBalancerAddresses: value as never });
    expect(make).toThrow(/^minos: invalid loadBalancerAddresses: /);
    expect(make).toThrow(
      /a count from 1 to 117, .* just below the DHCP range \(10\.77\.0\.128 up\), or a block "first-last" of 10\.77\.0\.0\/24 between 10\.77\.0\.2 and 10\.77\.0\.127 without the API's virtual address 10\.77\.0\.5/,
    );
  });

  it("says what a small network takes", () => {
    expect(() => kvm({ cidr: "10.77.0.64/26", loadBalancerAddresses: 22 })).toThrow(
      /a count from 1 to 21, .*between 10\.77\.0\.66 and 10\.77\.0\.95/,
    );
  });

  const groups = (controlPlanes: number): PlannedGroup[] => [
    {
      name: "lab-control-plane",
      role: "control-plane",
      pool: "control-plane",
      count: controlPlanes,
      maxCount: controlPlanes,
      firstIndex: 0,
      spot: false,
    },
  ];
  const info = (controlPlanes: number, loadBalancers: boolean) => ({
    name: "lab",
    controlPlaneCount: controlPlanes,
    apiPort: 6443,
    controlPlanePorts: [],
    sshEnabled: false,
    tags: {},
    groups: groups(controlPlanes),
    services: { controller: false, volumes: true, loadBalancers, autoscaler: false },
  });

  it("refuses, per cluster, a block that holds a control-plane node's address", () => {
    const validate = (args: KvmPlatformArgs, controlPlanes: number, loadBalancers: boolean) =>
      kvm(args).validate?.(info(controlPlanes, loadBalancers));
    expect(() => validate({ loadBalancerAddresses: 117 }, 1, true)).not.toThrow();
    expect(() => validate({ loadBalancerAddresses: 117 }, 3, true)).toThrow(
      /^minos: invalid loadBalancerAddresses: .*10\.77\.0\.11 is lab-control-plane-1's; ask for fewer/,
    );
    // A cluster without load balancers reserves nothing, so nothing clashes.
    expect(() => validate({ loadBalancerAddresses: 117 }, 3, false)).not.toThrow();
    expect(() => validate({ loadBalancerAddresses: "10.77.0.9-10.77.0.10" }, 1, true)).toThrow(
      /10\.77\.0\.10 is lab-control-plane-0's/,
    );
  });
});

describe("MetalLB, against its chart and CRDs at v0.16.1", () => {
  let registered: RegisteredResource[];
  beforeAll(async () => {
    registered = installMocks({ stack: "metallb-unit" });
    metallb("lab", block("10.77.0.0/24"), {});
    await new Promise((r) => setTimeout(r, 100));
  });
  const one = (type: string) => {
    const found = registered.filter((r) => r.type === `kubernetes:${type}`);
    expect(found).toHaveLength(1);
    return plain<Record<string, unknown>>(found[0]?.inputs);
  };

  it("sets only values the chart has, each where its values.yaml puts it", () => {
    const upstream = parse(fixture("values.yaml")) as Record<string, unknown>;
    const paths = (o: unknown, at = ""): string[] =>
      typeof o === "object" && o !== null && !Array.isArray(o)
        ? Object.entries(o).flatMap(([k, v]) => paths(v, at ? `${at}.${k}` : k))
        : [at];
    const ours = paths(METALLB_VALUES);
    expect(ours).toEqual(["speaker.frr.enabled", "frrk8s.enabled", "crds.validationFailurePolicy"]);
    for (const path of ours) {
      const upstreamValue = path
        .split(".")
        .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], upstream);
      const oursValue = path
        .split(".")
        .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], METALLB_VALUES);
      expect(typeof upstreamValue, path).toBe(typeof oursValue);
    }
    // Upstream's defaults these change: BGP through frr-k8s, a webhook that must answer.
    expect(upstream.frrk8s).toMatchObject({ enabled: true });
    expect(upstream.crds).toMatchObject({ validationFailurePolicy: "Fail" });
  });

  it("installs the pinned chart from MetalLB's repository into a privileged namespace", () => {
    expect(one("core/v1:Namespace").metadata).toEqual({
      name: "metallb-system",
      labels: {
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": "privileged",
        "pod-security.kubernetes.io/warn": "privileged",
      },
    });
    expect(one("helm.sh/v3:Release")).toMatchObject({
      name: "metallb",
      chart: "metallb",
      version: METALLB_CHART_VERSION,
      repositoryOpts: { repo: METALLB_CHART_REPO },
      namespace: "metallb-system",
      values: METALLB_VALUES,
      timeout: 1200,
    });
    expect(METALLB_CHART_REPO).toBe("https://metallb.github.io/metallb");
  });

  it("fills only fields the CRDs have, with the cluster's block", () => {
    for (const [kind, file, spec] of [
      ["IPAddressPool", "ipaddresspools.yaml", { addresses: ["10.77.0.120-10.77.0.127"] }],
      ["L2Advertisement", "l2advertisements.yaml", { ipAddressPools: ["minos"] }],
    ] as const) {
      const crd = parseAllDocuments(fixture(file))
        .map((d) => d.toJS())
        .find((d) => d?.kind === "CustomResourceDefinition");
      const object = one(`metallb.io/v1beta1:${kind}`);
      expect(object).toMatchObject({
        apiVersion: `${crd.spec.group}/v1beta1`,
        kind: crd.spec.names.kind,
        metadata: { name: "minos", namespace: "metallb-system" },
        spec,
      });
      const version = crd.spec.versions.find((v: { name: string }) => v.name === "v1beta1");
      expect(version?.served).toBe(true);
      const fields = version.schema.openAPIV3Schema.properties.spec.properties;
      for (const key of Object.keys(object.spec as object))
        expect(Object.keys(fields), `${kind}.spec.${key}`).toContain(key);
      expect(fields.addresses?.items?.type ?? fields.ipAddressPools?.items?.type).toBe("string");
    }
  });
});
