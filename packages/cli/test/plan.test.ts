import { execFile } from "node:child_process";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PROBE_JOBS } from "../../workload/test/support/probe-jobs.js";

// The built command, run as a user runs it (`pnpm test` builds before testing).
const MINOS = fileURLToPath(new URL("../bin/minos.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function plan(example: string, ...config: string[]) {
  const { stdout } = await promisify(execFile)(
    "node",
    [MINOS, "plan", `examples/${example}`, ...config.flatMap((c) => ["--config", c])],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 2 ** 20 },
  );
  const rows = stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length === 3 && cols[0]?.includes(":"));
  return {
    stdout,
    /** `<type> <name>` of every resource listed. */
    resources: rows.map(([type, name]) => `${type} ${name}`),
  };
}

const CLUSTERS = [
  "minos:flatcar:FlatcarCluster cmp-flatcar",
  "minos:fcos:FcosCluster cmp-fcos",
  "minos:talos:TalosCluster cmp-talos",
];

describe("minos plan", () => {
  it("lists Fedora CoreOS on AWS: the stream's images answer under mocks", async () => {
    const { stdout, resources } = await plan("kvm-fcos", "platform=aws");
    expect(stdout).toMatch(/^minos plan examples\/kvm-fcos \(kvm-fcos\): \d+ resources$/m);
    expect(resources).toEqual(
      expect.arrayContaining([
        "minos:fcos:FcosCluster fcos",
        "pulumi-nodejs:dynamic/minos-fcos:StreamImages fcos-fcos-stable-amd64",
        "aws:ec2/instance:Instance fcos-control-plane-0",
        "aws:autoscaling/group:Group fcos-worker-general",
        "kubernetes:apps/v1:Deployment nginx",
      ]),
    );
    expect(stdout).toMatch(/fcos control-plane: \d{4,} bytes/);
  });

  // Every OS on every platform it runs on: compare-os puts Flatcar, Fedora
  // CoreOS and Talos on one platform, and Bottlerocket workers too on AWS.
  it.each([
    ["aws", ["platform=aws"], "aws:lb/loadBalancer:LoadBalancer", true],
    [
      "gcp",
      ["platform=gcp", "gcp:region=europe-west1"],
      "gcp:compute/forwardingRule:ForwardingRule",
      false,
    ],
    ["kvm", ["platform=kvm"], "pulumi-nodejs:dynamic/minos-libvirt:Domain", false],
  ] as const)("lists every OS of examples/compare-os on %s", async (_, config, machineType, br) => {
    const { stdout, resources } = await plan("compare-os", ...config);
    expect(resources).toEqual(expect.arrayContaining(CLUSTERS));
    for (const os of ["flatcar", "fcos", "talos"]) {
      expect(
        resources.filter((r) => r.startsWith(`${machineType} cmp-${os}-`)).length,
      ).toBeGreaterThan(0);
      expect(stdout).toMatch(new RegExp(`cmp-${os} control-plane: \\d{3,} bytes`));
      expect(stdout).toMatch(new RegExp(`cmp-${os} worker/general: \\d{3,} bytes`));
    }
    expect(resources.includes("minos:bottlerocket:BottlerocketNodeGroup cmp-bottlerocket")).toBe(
      br,
    );
    if (br) expect(stdout).toMatch(/cmp-bottlerocket worker\/general: \d{3,} bytes/);
  });
});

/** `minos plan --json`, parsed; or the failure's exit code and stderr. */
async function planJsonOf(dir: string, ...config: string[]) {
  const { stdout } = await promisify(execFile)(
    "node",
    [MINOS, "plan", dir, "--json", ...config.flatMap((c) => ["--config", c])],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 2 ** 20 },
  );
  return JSON.parse(stdout) as {
    project: string;
    resources: {
      type: string;
      name: string;
      parent?: string;
      custom: boolean;
      inputs?: Record<string, unknown>;
    }[];
    payloads: {
      component: string;
      group: string;
      bytes: number;
      delivery: string;
      limit?: number;
    }[];
    outputs: Record<string, unknown>;
  };
}

const EXAMPLES: [string, string[]][] = [
  ["aws-flatcar", []],
  ["aws-mixed", []],
  ["compare-os", ["platform=gcp", "gcp:region=europe-west1"]],
  ["gcp-flatcar", ["gcp:region=europe-west1"]],
  ["kvm-fcos", []],
  ["kvm-flatcar", []],
  ["kvm-talos", []],
];

describe("minos plan --json", () => {
  it("covers every example", async () => {
    const { readdirSync } = await import("node:fs");
    const all = readdirSync(new URL("../../../examples/", import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(EXAMPLES.map(([e]) => e).sort()).toEqual(all.sort());
  });

  it.each(EXAMPLES)(
    "examples/%s: every resource with its inputs, secrets hidden, payloads with their delivery",
    async (example, config) => {
      const plan = await planJsonOf(`examples/${example}`, ...config);
      expect(plan.project).toBe(example);
      expect(plan.resources.length).toBeGreaterThan(10);
      const custom = plan.resources.filter((r) => r.inputs !== undefined);
      expect(custom.length).toBeGreaterThan(5);
      const text = JSON.stringify(plan);
      // Keys and tokens never leave as text; their places say so.
      expect(text).not.toMatch(/PRIVATE KEY|"bootstrapToken":"[a-z0-9]{6}\./);
      expect(text).toContain('"[secret]"');
      expect(plan.payloads.length).toBeGreaterThan(0);
      for (const p of plan.payloads) {
        expect(p.bytes, `${p.component} ${p.group}`).toBeGreaterThan(500);
        expect(["pointer", "user-data", "metadata", "fw_cfg", "cidata"]).toContain(p.delivery);
        if (p.limit !== undefined) expect(p.bytes).toBeLessThanOrEqual(p.limit);
      }
      // Nothing of the machine that made it: no local folder anywhere.
      expect(text).not.toContain(ROOT.replace(/\/$/, ""));
      expect(text).not.toContain(homedir());
      // Dynamic providers as their size and hash, never their serialized code.
      const providers = plan.resources
        .map((r) => r.inputs?.__provider)
        .filter((p) => p !== undefined);
      expect(providers.length).toBeGreaterThan(0);
      for (const p of providers)
        expect(p).toEqual({
          kind: expect.stringMatching(/^(shim|inline)$/),
          ...((p as { module?: string }).module !== undefined && {
            module: expect.stringMatching(/^@minos\/[a-z]+\/providers$/),
          }),
          bytes: expect.any(Number),
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
      expect(text).not.toContain("exports.handler");
      // The stack's outputs, kubeconfigs among them as secrets.
      expect(Object.keys(plan.outputs).length).toBeGreaterThan(0);
      expect(JSON.stringify(plan.outputs)).toMatch(/"kubeconfigs?":(\{[^}]*)?"\[secret\]"/);
    },
    120_000,
  );

  it("examples/kvm-flatcar: the stack outputs as the program exports them, and the JSON a fraction of what the provider code made it", async () => {
    const plan = await planJsonOf("examples/kvm-flatcar");
    expect(plan.outputs).toEqual({
      endpoint: "https://10.77.0.10:6443",
      kubeconfig: "[secret]",
      controlPlaneIps: ["10.77.0.10"],
    });
    const libvirt = plan.resources.filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/minos-libvirt:"),
    );
    expect(libvirt.map((r) => r.inputs?.__provider)).toEqual(
      libvirt.map(() =>
        expect.objectContaining({ kind: "shim", module: "@minos/libvirt/providers" }),
      ),
    );
    const gate = plan.resources.find(
      (r) => r.type === "pulumi-nodejs:dynamic/minos:KubernetesVersionGate",
    );
    expect(gate?.inputs?.__provider).toMatchObject({ kind: "inline", bytes: expect.any(Number) });
    expect(JSON.stringify(plan).length).toBeLessThan(40_000);
  }, 120_000);

  // What workloads get from each platform: its controller, volumes with a
  // default class, and load balancers (KVM: MetalLB on the network's block).
  it.each([
    [
      "aws-flatcar",
      [],
      [
        /helm\.sh\/v3:Release .* aws-cloud-controller-manager$/,
        /helm\.sh\/v3:Release .* aws-ebs-csi-driver$/,
      ],
    ],
    [
      "gcp-flatcar",
      ["gcp:region=europe-west1"],
      [
        /apps\/v1:DaemonSet .*-ccm-daemonset/,
        /storage\.k8s\.io\/v1:CSIDriver /,
        /apps\/v1:Deployment .*-pd-controller/,
      ],
    ],
    [
      "kvm-flatcar",
      [],
      [
        /apps\/v1:Deployment .*-local-path/,
        /helm\.sh\/v3:Release .* metallb$/,
        /metallb\.io\/v1beta1:IPAddressPool /,
        /metallb\.io\/v1beta1:L2Advertisement /,
      ],
    ],
  ] as const)(
    "examples/%s: the platform's controller, volumes, one default StorageClass and load balancers",
    async (example, config, expected) => {
      const plan = await planJsonOf(`examples/${example}`, ...config);
      const seen = plan.resources.map((r) =>
        `${r.type} ${r.name} ${(r.inputs?.chart as string | undefined) ?? ""}`.trim(),
      );
      for (const pattern of expected)
        expect(
          seen.filter((s) => pattern.test(s)),
          String(pattern),
        ).toHaveLength(1);
      const defaults = plan.resources.filter(
        (r) =>
          r.type === "kubernetes:storage.k8s.io/v1:StorageClass" &&
          (r.inputs?.metadata as { annotations?: Record<string, string> })?.annotations?.[
            "storageclass.kubernetes.io/is-default-class"
          ] === "true",
      );
      expect(defaults).toHaveLength(1);
      expect(defaults[0]?.inputs?.volumeBindingMode).toBe("WaitForFirstConsumer");
      // nginx asks for both.
      const service = plan.resources.find(
        (r) => r.type === "kubernetes:core/v1:Service" && r.name === "nginx",
      );
      expect((service?.inputs?.spec as { type?: string })?.type).toBe("LoadBalancer");
      expect(
        plan.resources.some(
          (r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim" && r.name === "nginx",
        ),
      ).toBe(true);
    },
    120_000,
  );

  // Issue 30's "done when": the probe objects for every OS of the comparison.
  it.each([
    ["kvm", []],
    ["aws", ["platform=aws"]],
  ] as const)(
    "examples/compare-os on %s: the probe objects of every OS's cluster, with their inputs",
    async (_, config) => {
      const plan = await planJsonOf("examples/compare-os", ...config);
      const jobs = PROBE_JOBS;
      for (const os of ["flatcar", "fcos", "talos"]) {
        const mine = plan.resources.filter((r) => r.parent === `probes-${os}`);
        expect(
          mine.map((r) => `${r.type} ${(r.inputs?.metadata as { name?: string })?.name}`).sort(),
          os,
        ).toEqual(
          [
            "kubernetes:core/v1:Namespace minos-probes",
            ...jobs.map((j) => `kubernetes:batch/v1:Job ${j}`),
            ...["same-node", "cross-node", "service"].map(
              (p) => `kubernetes:core/v1:Service iperf3-${p}`,
            ),
          ].sort(),
        );
        const pull = mine.find(
          (r) => (r.inputs?.metadata as { name?: string })?.name === "image-pull",
        );
        expect(pull?.inputs?.spec).toMatchObject({
          suspend: true,
          parallelism: 2,
          template: {
            spec: {
              containers: [
                {
                  image: "registry.k8s.io/e2e-test-images/nginx:1.15-4",
                  imagePullPolicy: "Always",
                },
              ],
            },
          },
        });
      }
    },
    120_000,
  );

  it.each([
    ["gcp-flatcar", ["gcp:region=europe-west1"]],
    ["kvm-fcos", ["platform=gcp", "gcp:region=europe-west1"]],
  ])(
    "examples/%s on GCP: a control plane's user-data is a short, plain gs:// pointer with the payload's hash",
    async (example, config) => {
      const plan = await planJsonOf(`examples/${example}`, ...config);
      const instances = plan.resources.filter((r) => r.type === "gcp:compute/instance:Instance");
      expect(instances.length).toBeGreaterThan(0);
      for (const i of instances) {
        const userData = ((i.inputs?.metadata ?? {}) as Record<string, string>)["user-data"] ?? "";
        expect(userData.length).toBeLessThan(400);
        const replace = JSON.parse(userData).ignition.config.replace;
        expect(replace.source).toMatch(/^gs:\/\/[a-z0-9-]+\/control-plane\/(init|join)$/);
        expect(replace.verification.hash).toMatch(/^sha512-[0-9a-f]{128}$/);
      }
    },
    120_000,
  );

  it.each([
    ["aws", ["aws:region=eu-west-1"], "user-data"],
    ["gcp", ["gcp:region=europe-west1"], "metadata"],
  ])(
    "examples/kvm-talos on %s with controlPlaneDelivery=machine-api: control planes get theirs over Talos's API, with no size limit; workers as before",
    async (platform, config, workers) => {
      const plan = await planJsonOf(
        "examples/kvm-talos",
        `platform=${platform}`,
        "controlPlaneDelivery=machine-api",
        'apiAllowedCidrs=["203.0.113.0/24"]',
        ...config,
      );
      const by = Object.fromEntries(plan.payloads.map((p) => [p.group, p]));
      expect(by["control-plane"]).toMatchObject({ delivery: "machine-api" });
      expect(by["control-plane"]?.limit).toBeUndefined();
      expect(by["worker/general"]).toMatchObject({ delivery: workers, limit: expect.any(Number) });
      expect(plan.resources.map((r) => r.type)).toContain(
        "pulumi-nodejs:dynamic/minos-talos:TalosConfigHandover",
      );
    },
    120_000,
  );

  it.each([
    ["kvm-flatcar", "10.77.0"],
    ["kvm-talos", "10.79.0"],
  ])(
    "examples/%s with controlPlaneCount=3: three control-plane domains and the API's virtual address reserved in the network",
    async (example, net) => {
      const plan = await planJsonOf(`examples/${example}`, "controlPlaneCount=3");
      const domains = plan.resources
        .filter((r) => r.type === "pulumi-nodejs:dynamic/minos-libvirt:Domain")
        .map((r) => r.name)
        .filter((n) => n.includes("control-plane"));
      expect(domains.sort()).toEqual(
        [0, 1, 2].map((i) => expect.stringMatching(new RegExp(`-control-plane-${i}$`))),
      );
      const network = plan.resources.find(
        (r) => r.type === "pulumi-nodejs:dynamic/minos-libvirt:Network",
      );
      expect(network?.inputs?.addresses).toEqual([
        { ip: `${net}.5`, name: expect.stringMatching(/-api$/) },
      ]);
      expect(plan.payloads.map((p) => p.group)).toEqual(
        expect.arrayContaining(["control-plane", "control-plane-join"]),
      );
    },
    120_000,
  );

  it("reports payload sizes from real-shaped certificates, as minos render does", async () => {
    const plan = await planJsonOf("examples/kvm-flatcar");
    const planned = plan.payloads.find((p) => p.group === "control-plane");
    const { stdout } = await promisify(execFile)(
      "node",
      [
        MINOS,
        "render",
        "flatcar",
        "--role",
        "control-plane",
        "--platform",
        "kvm",
        "--cluster-name",
        "lab",
        "--endpoint",
        "10.77.0.10",
        "--kubernetes-version",
        "1.37.1",
      ],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 2 ** 20 },
    );
    expect(planned?.delivery).toBe("fw_cfg");
    // Same OS, role, versions and certificate shapes: within what random
    // serials, signatures and the pool's labels and SSH keys change.
    expect(Math.abs((planned?.bytes ?? 0) - Buffer.byteLength(stdout))).toBeLessThan(400);
  }, 120_000);

  it("says in one line which config a program needs, and which import is missing, exit 2", async () => {
    await expect(planJsonOf("examples/gcp-flatcar")).rejects.toMatchObject({
      code: 2,
      stderr: "minos: the program needs config gcp:region: pass --config gcp:region=<value>\n",
    });
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const broken = mkdtempSync(join(tmpdir(), "minos-plan-"));
    writeFileSync(join(broken, "Pulumi.yaml"), "name: broken\nruntime: nodejs\n");
    writeFileSync(join(broken, "index.ts"), 'import "@example/not-installed";\n');
    await expect(planJsonOf(broken)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^minos: the program imports @example\/not-installed, which is not installed where it runs: install the program's dependencies .*\n$/,
      ),
    });
    // Installed but never built, as a workspace package is before pnpm install builds it.
    const { mkdirSync } = await import("node:fs");
    const unbuilt = join(broken, "node_modules/@example/unbuilt");
    mkdirSync(unbuilt, { recursive: true });
    writeFileSync(
      join(unbuilt, "package.json"),
      '{"name":"@example/unbuilt","version":"1.0.0","main":"./dist/index.js"}',
    );
    writeFileSync(join(broken, "index.ts"), 'import "@example/unbuilt";\n');
    await expect(planJsonOf(broken)).rejects.toMatchObject({
      code: 2,
      stderr:
        "minos: @example/unbuilt is installed but not built (dist/index.js is missing): in a clone of minos, run pnpm install at its root, which builds every package (or pnpm build); packed packages carry their build\n",
    });
  }, 120_000);
});
