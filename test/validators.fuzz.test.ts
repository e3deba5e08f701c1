import { isIP } from "node:net";
import { aws } from "@minos/aws";
import { bottlerocketOs } from "@minos/bottlerocket";
import type { PlatformClusterInfo } from "@minos/core";
import { endpointUrl } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm, planNodes } from "@minos/kvm";
import { talosOs } from "@minos/talos";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CliError, UsageError } from "../packages/cli/src/cli-error.js";
import { render, validateEndpointHost } from "../packages/cli/src/render.js";
import { clusterLabels } from "../packages/gcp/src/labels.js";
import { resolveKvmArgs } from "../packages/kvm/src/validate.js";
import { checkReservations } from "../packages/libvirt/src/network-xml.js";
import { anything, isMinosError, onlyMinosErrors } from "./support/fuzz.js";

/**
 * A validator may accept or throw a MinosError, never anything else. By
 * name: the platform packages load core's build, these tests its source.
 */

/** Objects with some of the keys an argument takes, some near misses, and anything in them. */
const argsOf = (keys: string[]) =>
  fc.oneof(
    anything,
    fc.dictionary(fc.constantFrom(...keys, ...keys.map((k) => `${k}s`), "region"), anything),
  );
const info = (tags: Record<string, string>): PlatformClusterInfo => ({
  name: "a",
  controlPlaneCount: 1,
  apiPort: 6443,
  controlPlanePorts: [],
  sshEnabled: false,
  tags,
  groups: [],
});
/** Tag keys and values: printable text, unicode, and the characters clouds treat specially. */
const text = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.string({ unit: "grapheme", maxLength: 70 }),
  fc.constantFrom("Team", "team", "t_1", "1", "a b", "x#y", "Name", "minos-cluster", "ünï"),
);

describe("platform arguments under random input", () => {
  it("aws(), gcp() and kvm() throw only MinosErrors", () => {
    const network = argsOf(["cidr", "azCount", "natGateway", "vpcId", "subnetIds", "network"]);
    fc.assert(
      fc.property(
        argsOf(["network", "apiAllowedCidrs", "sshAllowedCidrs", "metadataHopLimit"]),
        network,
        argsOf([
          "uri",
          "pool",
          "cidr",
          "firmware",
          "uefiFirmware",
          "defaultMachineType",
          "loadBalancerAddresses",
        ]),
        fc.oneof(fc.string(), fc.constantFrom("qemu:///system", "qemu+ssh://h/system", "x://[")),
        (args, net, kvmArgs, uri) => {
          onlyMinosErrors(() => aws(args as never));
          onlyMinosErrors(() => aws({ network: net } as never));
          onlyMinosErrors(() => gcp({ region: "europe-west1", ...(args as object) } as never));
          onlyMinosErrors(() => gcp({ region: "europe-west1", network: net } as never));
          onlyMinosErrors(() => kvm(kvmArgs as never));
          onlyMinosErrors(() => kvm({ uri }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("KVM keeps load-balancer addresses below the DHCP range, clear of every reservation", () => {
    const cidrs = ["10.77.0.0/24", "10.77.0.64/26", "10.77.0.0/16", "192.168.122.0/25"];
    const value = (n: number) => (ip: string) =>
      ip.split(".").reduce((a, o) => a * 256 + Number(o), 0) - n;
    /** Addresses around a network: inside, at its edges, just outside, and malformed octets. */
    const near = (cidr: string) => {
      const [base] = cidr.split("/") as [string];
      const start = value(0)(base);
      return fc
        .oneof(fc.integer({ min: -3, max: 260 }), fc.integer({ min: -3, max: 70000 }))
        .map((n) => {
          const ip = start + n;
          return [24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256).join(".");
        });
    };
    const argument = (cidr: string) =>
      fc.oneof(
        fc.integer({ min: -2, max: 130 }),
        fc.integer({ min: -2, max: 40000 }),
        fc.double(),
        fc.tuple(near(cidr), near(cidr)).map(([a, b]) => `${a}-${b}`),
        // Mostly in order, as a user would write one.
        fc
          .tuple(near(cidr), near(cidr))
          .map(([a, b]) => (value(0)(a) <= value(0)(b) ? `${a}-${b}` : `${b}-${a}`)),
        fc.constantFrom(
          "10.77.0.020-10.77.0.030",
          "10.77.0.20-10.77.0.256",
          " 10.77.0.20-10.77.0.30",
        ),
        fc.string(),
        anything,
      );
    fc.assert(
      fc.property(
        fc
          .constantFrom(...cidrs)
          .chain((cidr) =>
            fc.tuple(fc.constant(cidr), argument(cidr), fc.constantFrom(1, 3, 5, 7)),
          ),
        ([cidr, loadBalancerAddresses, controlPlanes]) => {
          const args = { cidr, loadBalancerAddresses } as never;
          if (onlyMinosErrors(() => kvm(args))) return;
          const { loadBalancers: block, cidr: net } = resolveKvmArgs(args);
          const half = 2 ** (32 - net.prefix) / 2;
          const offset = value(net.base);
          // Past the gateway, below DHCP's first lease, without the API's virtual address.
          expect(offset(block.first)).toBeGreaterThanOrEqual(2);
          expect(offset(block.last)).toBeLessThan(half);
          expect(offset(block.first)).toBeLessThanOrEqual(offset(block.last));
          expect(offset(block.first) > 5 || offset(block.last) < 5).toBe(true);
          const groups = [
            {
              name: "a-control-plane",
              role: "control-plane" as const,
              pool: "control-plane",
              count: controlPlanes,
              maxCount: controlPlanes,
              firstIndex: 0,
              spot: false,
            },
          ];
          const cluster = {
            ...info({}),
            controlPlaneCount: controlPlanes,
            groups,
            services: { controller: false, volumes: true, loadBalancers: true, autoscaler: false },
          };
          if (onlyMinosErrors(() => kvm(args).validate?.(cluster))) return;
          // What the cluster's network would be told, libvirt's own checks take.
          const hosts = [...planNodes(net, groups).values()].flat();
          const vip = [24, 16, 8, 0]
            .map((s) => Math.floor((net.base + 5) / 2 ** s) % 256)
            .join(".");
          const addresses = controlPlanes > 1 ? [{ ip: vip, name: "a-api" }] : [];
          const ranges = [{ name: "a-load-balancers", first: block.first, last: block.last }];
          expect(() => checkReservations(hosts, addresses, cidr, ranges)).not.toThrow();
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("AWS takes only tags EC2, S3 and IAM take, and never one minos overwrites", () => {
    const platform = aws();
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 50 }), (tags) => {
        if (onlyMinosErrors(() => platform.validate?.(info(tags)))) return;
        const entries = Object.entries(tags);
        expect(entries.length).toBeLessThanOrEqual(45);
        for (const [k, v] of entries) {
          expect(`${k}${v}`).toMatch(/^[\p{L}\p{N}\p{Zs}+\-=._:/@]*$/u);
          expect(["Name", "minos:cluster", "minos:pool", "kubernetes.io/cluster/a"]).not.toContain(
            k,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("GCP takes only tags that stay distinct, whole labels beside minos' own", () => {
    const platform = gcp({ region: "europe-west1" });
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 70 }), (tags) => {
        if (onlyMinosErrors(() => platform.validate?.(info(tags)))) return;
        const labels = clusterLabels("a", tags, { "minos-pool": "p" });
        // Every tag a label of its own, none cut short, minos' own untouched.
        expect(Object.keys(labels).length).toBe(Object.keys(tags).length + 2);
        expect(labels["minos-cluster"]).toBe("a");
        for (const [k, v] of Object.entries(tags)) {
          const folded = Object.entries(labels).find(
            ([lk]) =>
              lk === (/^[a-z]/i.test(k) ? k : `t_${k}`).toLowerCase().replace(/[^a-z0-9_-]/g, "_"),
          );
          expect(folded?.[1].length).toBe(v.toLowerCase().length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("OS options under random input", () => {
  it("Flatcar, FCOS, Talos and Bottlerocket throw only MinosErrors", () => {
    fc.assert(
      fc.property(
        argsOf(["baseUrl", "hashes", "autoUpdate", "image"]),
        argsOf(["baseUrl", "timeoutSeconds"]),
        argsOf(["url", "sha256"]),
        argsOf(["all", "controlPlane", "workers", "pools"]),
        argsOf(["controlContainer", "adminContainer", "maxPods", "sysctls", "flavor"]),
        (sysext, streamMetadata, qemuImage, configPatches, rocket) => {
          onlyMinosErrors(() => flatcarOs({ sysext } as never));
          onlyMinosErrors(() => fcosOs({ sysext } as never));
          onlyMinosErrors(() => fcosOs({ streamMetadata } as never));
          onlyMinosErrors(() => fcosOs({ qemuImage } as never));
          onlyMinosErrors(() => talosOs({ configPatches } as never));
          onlyMinosErrors(() => bottlerocketOs(rocket as never, { kind: "eks" }, "1.35.2"));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("minos render under random input", () => {
  it("takes as an endpoint only what makes an API URL with that host", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.domain(),
          fc.ipV4(),
          fc.ipV6(),
          fc.constantFrom("", "https://api:6443", "api:6443", "1.2.3", "[::1]", "a..b", "-a"),
        ),
        (host) => {
          if (onlyMinosErrors(() => validateEndpointHost("--endpoint", host))) return;
          const url = new URL(endpointUrl({ host, port: 6443 }));
          expect(url.port).toBe("6443");
          expect(url.pathname).toBe("/");
          const bare = url.hostname.replace(/^\[(.*)\]$/, "$1");
          if (isIP(host) === 6) expect(isIP(bare)).toBe(6);
          else expect(bare).toBe(host.toLowerCase());
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("refuses any other command line with one line: a MinosError, or what is missing", async () => {
    const word = fc.oneof(
      fc.constantFrom(
        "flatcar",
        "talos",
        "bottlerocket",
        "--role",
        "worker",
        "master",
        "--platform",
        "aws",
        "azure",
        "--arch",
        "--endpoint",
        "--cluster-name",
        "--kubernetes-version",
        "1.35.2",
        "-h=1",
        "--help=x",
        "-x",
        "--",
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 8 }), async (argv) => {
        try {
          await render(argv);
        } catch (e) {
          // No <os> at all: what is missing, and the command's usage after it.
          if (e instanceof UsageError) expect(e.message).toMatch(/^minos: name an <os>: /);
          // A required option left out or a folder that does not exist: one line too.
          else if (e instanceof CliError) expect(e.message).toMatch(/^minos: --\S+ /);
          else if (isMinosError(e)) expect(e.message).toMatch(/^minos: invalid \S/);
          else throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
