import { isIP } from "node:net";
import { aws } from "@minos/aws";
import { bottlerocketOs } from "@minos/bottlerocket";
import type { PlatformClusterInfo } from "@minos/core";
import { endpointUrl } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import { talosOs } from "@minos/talos";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CliError, UsageError } from "../packages/cli/src/cli-error.js";
import { render, validateEndpointHost } from "../packages/cli/src/render.js";
import { clusterLabels } from "../packages/gcp/src/labels.js";
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
        argsOf(["uri", "pool", "cidr", "firmware", "uefiFirmware", "defaultMachineType"]),
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
