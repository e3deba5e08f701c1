import type { BootstrapContext } from "@minos/core";
import { MinosError } from "@minos/core";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { workerContext } from "../../../test/support/context.js";
import type { BottlerocketOptions, JoinMode } from "../src/index.js";
import { amiParameter, bottlerocketOs, bottlerocketVariant } from "../src/index.js";
import { undocumentedSettings } from "../src/settings-model.js";

const ctx: BootstrapContext = workerContext({
  kubernetesVersion: "1.35.2",
  serviceCidr: "10.96.0.0/12",
  node: {
    pool: "rocket",
    labels: { "minos.dev/os": "bottlerocket" },
    taints: [
      { key: "dedicated", value: "rocket", effect: "NoSchedule" },
      { key: "dedicated", value: "rocket", effect: "NoExecute" },
    ],
    kubeletExtraArgs: {},
    sshAuthorizedKeys: [],
  },
});
const render = (join: JoinMode, options: BottlerocketOptions = {}) =>
  bottlerocketOs(options, join, "1.35.2").render("worker", ctx).payload;
// biome-ignore lint/suspicious/noExplicitAny: a parsed TOML tree, read by path in assertions
const settings = (join: JoinMode, options: BottlerocketOptions = {}): any =>
  parse(render(join, options)).settings;

describe("Bottlerocket settings", () => {
  it("joins a minos cluster by TLS bootstrap with the cluster's token, CA and DNS address", () => {
    const k = settings({ kind: "bootstrap-token" }).kubernetes;
    expect(k).toMatchObject({
      "cluster-name": ctx.clusterName,
      "api-server": `https://${ctx.endpoint.host}:${ctx.endpoint.port}`,
      "authentication-mode": "tls",
      "bootstrap-token": ctx.join.bootstrapToken,
      "cluster-dns-ip": "10.96.0.10",
      "cloud-provider": "",
      "server-tls-bootstrap": false,
      "hostname-override-source": "instance-id",
    });
    expect(Buffer.from(k["cluster-certificate"], "base64").toString()).toBe(ctx.join.caCertPem);
    expect(k["node-labels"]).toEqual({ "minos.dev/os": "bottlerocket" });
    expect(k["node-taints"]).toEqual({ dedicated: ["rocket:NoSchedule", "rocket:NoExecute"] });
  });

  it("joins EKS by its name, endpoint and CA, leaving authentication to the node's IAM role", () => {
    const k = settings({ kind: "eks" }).kubernetes;
    expect(k["cluster-name"]).toBe(ctx.clusterName);
    for (const absent of [
      "bootstrap-token",
      "authentication-mode",
      "cloud-provider",
      "cluster-dns-ip",
      "hostname-override-source",
    ])
      expect(k[absent]).toBeUndefined();
  });

  it("emits only keys the settings reference documents, both ways and with every option", () => {
    const options: BottlerocketOptions = {
      maxPods: 58,
      sysctls: { "vm.max_map_count": "262144" },
      extraSettings: { kubernetes: { "eviction-hard": { "memory.available": "10%" } } },
    };
    for (const join of [{ kind: "bootstrap-token" }, { kind: "eks" }] as JoinMode[]) {
      expect(undocumentedSettings(parse(render(join)))).toEqual([]);
      expect(undocumentedSettings(parse(render(join, options)))).toEqual([]);
    }
  });

  it("keeps the admin container off and the control container on unless asked, and merges extra settings last", () => {
    expect(settings({ kind: "eks" })["host-containers"]).toEqual({
      admin: { enabled: false },
      control: { enabled: true },
    });
    const s = settings(
      { kind: "bootstrap-token" },
      {
        controlContainer: false,
        extraSettings: { kubernetes: { "server-tls-bootstrap": true, "cloud-provider": null } },
      },
    );
    expect(s["host-containers"].control.enabled).toBe(false);
    expect(s.kubernetes["server-tls-bootstrap"]).toBe(true);
    expect(s.kubernetes["cloud-provider"]).toBeUndefined();
  });

  it("renders the same bytes for the same inputs", () => {
    expect(render({ kind: "bootstrap-token" })).toBe(render({ kind: "bootstrap-token" }));
    console.log(
      `bottlerocket worker settings: ${Buffer.byteLength(render({ kind: "bootstrap-token" }))} bytes`,
    );
  });

  it("picks the variant for the cluster's minor and finds its AMI through AWS's public parameter", () => {
    expect(bottlerocketVariant("1.35.2")).toBe("aws-k8s-1.35");
    expect(bottlerocketVariant("1.31.0", "nvidia")).toBe("aws-k8s-1.31-nvidia");
    expect(amiParameter("aws-k8s-1.35-fips", "arm64")).toBe(
      "/aws/service/bottlerocket/aws-k8s-1.35-fips/arm64/latest/image_id",
    );
    expect(() => bottlerocketVariant("1.30.4")).toThrow(/1\.31 to 1\.37/);
    expect(() => bottlerocketVariant("1.35.2", "gpu" as never)).toThrow(/flavor/);
  });

  it("renders workers only, and refuses GCP and KVM saying why", () => {
    const os = bottlerocketOs({}, { kind: "eks" }, "1.35.2");
    expect(() => os.render("control-plane", ctx)).toThrow(/workers/);
    expect(() => os.image("gcp", "amd64", undefined as never)).toThrow(/no GCE images/);
    expect(() => os.delivery("kvm")).toThrow(/metal-dev does not join/);
  });
});

describe("Bottlerocket settings as its settings model checks them", () => {
  const make = (options: Parameters<typeof bottlerocketOs>[0]) =>
    bottlerocketOs(options, { kind: "bootstrap-token" }, "1.35.2");

  it.each([
    [
      { extraSettings: { kubernetes: { "max-pod": 50 } } },
      "extraSettings.kubernetes.max-pod",
      /did you mean max-pods/,
    ],
    [{ extraSettings: { kernal: { sysctl: {} } } }, "extraSettings.kernal", /did you mean kernel/],
    [
      { extraSettings: { kubernetes: { "max-pods": "50" } } },
      "extraSettings.kubernetes.max-pods",
      /whole number/,
    ],
    [
      { extraSettings: { kernel: { sysctl: { "vm.max_map_count": 262144 } } } },
      "extraSettings.kernel.sysctl.vm.max_map_count",
      /string/,
    ],
    [
      { extraSettings: { kubernetes: { "node-taints": { dedicated: ["gpu:"] } } } },
      "extraSettings.kubernetes.node-taints.dedicated",
      /NoSchedule/,
    ],
    [
      { extraSettings: { kubernetes: { "cluster-name": "-bad" } } },
      "extraSettings.kubernetes.cluster-name",
      /0-9A-Za-z/,
    ],
    [
      { extraSettings: { "host-containers": { admin: { enabled: "yes" } } } },
      "extraSettings.host-containers.admin.enabled",
      /true or false/,
    ],
    [{ sysctls: { "net.core.somaxconn": 4096 as never } }, "sysctls.net.core.somaxconn", /string/],
  ])("refuses %j naming %s", (options, argument, allowed) => {
    let error: unknown;
    try {
      make(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MinosError);
    expect((error as MinosError).argument).toBe(argument);
    expect((error as Error).message).toMatch(allowed);
  });

  it("takes what the model allows, removals and sections it has no reference for included", () => {
    expect(() =>
      make({
        sysctls: { "vm.max_map_count": "262144" },
        extraSettings: {
          kubernetes: {
            "max-pods": 110,
            "node-taints": { dedicated: ["gpu:NoSchedule", ":NoExecute"] },
            "eviction-hard": { "memory.available": "5%" },
            "cluster-dns-ip": null,
          },
          "host-containers": { admin: { enabled: true }, mine: { source: "x", enabled: true } },
          ntp: { "time-servers": ["169.254.169.123"] },
        },
      }),
    ).not.toThrow();
  });
});
