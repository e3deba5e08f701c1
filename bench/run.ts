/**
 * `pnpm bench`: what a cluster program costs, against the floor.
 *
 * 1. Each OS with 1 control-plane node and W workers (pools of 10) on AWS,
 *    evaluated under Pulumi mocks in a process of its own: the main thread's
 *    busy time (the plan's idle settle wait left out, the runtime's work after
 *    the program returns counted), peak RSS, resources registered; the median
 *    of CASE_RUNS runs, each followed by its floor's.
 * 2. The floor: a bare program registering as many raw `@pulumi/aws`
 *    resources, each with a payload of the same size, no component logic.
 * 3. Every OS × role payload, raw and gzip-compressed, against the limit
 *    each platform names for the OS's delivery (`minos render`'s own).
 * 4. `minos render` start to exit, as a user runs the built command.
 *
 * 5. Flatcar on KVM at a KVM host's sizes, against the same floor.
 *
 * Prints Markdown tables and writes bench/results.json. `tsx bench/run.ts
 * render` measures only 4 and prints its table, `tsx bench/run.ts kvm` 5.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { render } from "@minos/cli";

interface CaseResult {
  kind: string;
  workers: number;
  ms: number;
  rssMiB: number;
  resources: number;
  payloadBytes: number;
}

const OSES = ["flatcar", "fcos", "talos", "bottlerocket"];
const WORKERS = [3, 30, 300, 3000];
/** A KVM host runs tens of machines, not thousands. */
const KVM_WORKERS = [3, 30];

function runCase(...args: (string | number)[]): CaseResult {
  // The exit status is not checked: Pulumi's runtime, exiting with the mock
  // engine's promises still open, reports them and exits 1 after the result.
  const { stdout } = spawnSync(
    process.execPath,
    ["--import", "tsx", join(__dirname, "case.ts"), ...args.map(String)],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 16 * 1024 * 1024 },
  );
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`bench case ${args.join(" ")} printed no result`);
  return JSON.parse(line);
}

/**
 * Runs of each case, each followed by its floor; the table reports the run of
 * median time of each. The machine may be shared: one run of a small case
 * moves by a third with the load, and a case and its floor drift together.
 */
const CASE_RUNS = 3;

/** The run of median time (of an odd number). */
const medianRun = (runs: CaseResult[]) =>
  [...runs].sort((a, b) => a.ms - b.ms)[runs.length >> 1] as CaseResult;

const table = (header: string[], rows: (string | number)[][]) =>
  [header, header.map(() => "---"), ...rows.map((r) => r.map(String))]
    .map((r) => `| ${r.join(" | ")} |`)
    .join("\n");

/** Runs of the built `minos render` per OS; the table reports their median. */
const RENDER_RUNS = 15;
const MINOS = join(__dirname, "..", "packages", "cli", "bin", "minos.js");

interface RenderStart {
  os: string;
  platform: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * `minos render <os> --role worker` from spawn to exit, as a user runs the
 * command: RENDER_RUNS times per OS with one secrets file (made by a first
 * run that is not counted), so each run renders and exits, nothing more.
 */
function renderStarts(): RenderStart[] {
  const dir = mkdtempSync(join(tmpdir(), "minos-bench-render-"));
  const secrets = join(dir, "secrets.json");
  try {
    return OSES.map((os) => {
      const platform = os === "bottlerocket" ? "aws" : "kvm";
      const args = [MINOS, "render", os, "--role", "worker", "--platform", platform];
      const run = () => {
        const start = performance.now();
        const child = spawnSync(process.execPath, [...args, "--secrets", secrets], {
          encoding: "utf8",
          stdio: ["ignore", "ignore", "pipe"],
        });
        const ms = performance.now() - start;
        if (child.status !== 0) throw new Error(`minos render ${os} failed: ${child.stderr}`);
        return ms;
      };
      run();
      const times = Array.from({ length: RENDER_RUNS }, run);
      const result = {
        os,
        platform,
        runs: RENDER_RUNS,
        medianMs: Math.round(median(times)),
        minMs: Math.round(Math.min(...times)),
        maxMs: Math.round(Math.max(...times)),
      };
      process.stderr.write(`bench: minos render ${os}: median ${result.medianMs} ms\n`);
      return result;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The render-start section of the report. */
const renderStartsText = (starts: RenderStart[]) =>
  [
    `\`minos render <os> --role worker\` start to exit, the built command spawned ${RENDER_RUNS} times per OS with one secrets file (before it loaded only the Pulumi-free entry points, \`@minos/core/render\` and each OS's \`/render\`, it took about 1.1 s, 0.83 s of that loading \`@pulumi/pulumi\`):`,
    "",
    table(
      ["OS", "platform", "runs", "median ms", "min ms", "max ms"],
      starts.map((s) => [s.os, s.platform, s.runs, s.medianMs, s.minMs, s.maxMs]),
    ),
    "",
  ].join("\n");

/** One case against its floor, CASE_RUNS times each, interleaved; the median runs. */
function measure(kind: string, w: number): { case: CaseResult; floor: CaseResult } {
  const cases: CaseResult[] = [];
  const floors: CaseResult[] = [];
  for (let run = 0; run < CASE_RUNS; run++) {
    const measured = runCase(kind, w);
    cases.push(measured);
    floors.push(runCase("floor", w, measured.resources, measured.payloadBytes));
  }
  const result = { case: medianRun(cases), floor: medianRun(floors) };
  process.stderr.write(
    `bench: ${kind} W=${w}: ${result.case.ms} ms (floor ${result.floor.ms} ms)\n`,
  );
  return result;
}

/** A case's first columns: what it is, its time, its floor's, and their ratio. */
const againstFloor = (c: CaseResult, floor: CaseResult) => [
  c.kind,
  c.workers,
  c.ms,
  floor.ms,
  (c.ms / Math.max(floor.ms, 1)).toFixed(2),
];

/** Flatcar on KVM against its floor: what the libvirt resources' providers cost. */
function kvmCases(): string {
  const rows = KVM_WORKERS.map((w) => {
    const { case: c, floor } = measure("kvm", w);
    return [...againstFloor(c, floor), c.resources];
  });
  return [
    "Flatcar on the KVM platform (every node a disk and a domain, dynamic resources whose providers Pulumi serializes), against the same floor:",
    "",
    table(["case", "W", "ms", "floor ms", "× floor", "resources"], rows),
    "",
  ].join("\n");
}

async function main() {
  const started = Date.now();
  const results: { case: CaseResult; floor: CaseResult }[] = [];
  for (const os of OSES) for (const w of WORKERS) results.push(measure(os, w));
  const kvm = kvmCases();
  const rows = results.map(({ case: c, floor }, i) => {
    const previous = i % WORKERS.length === 0 ? undefined : results[i - 1]?.case;
    return [
      ...againstFloor(c, floor),
      c.rssMiB,
      floor.rssMiB,
      c.resources,
      previous ? (c.ms / Math.max(previous.ms, 1)).toFixed(1) : "-",
    ];
  });

  const payloads: (string | number)[][] = [];
  for (const os of ["flatcar", "fcos", "talos", "bottlerocket"]) {
    for (const role of os === "bottlerocket"
      ? ["worker"]
      : ["control-plane", "control-plane-join", "worker"]) {
      for (const platform of os === "bottlerocket" ? ["aws"] : ["aws", "gcp", "kvm"]) {
        const result = await render([os, "--role", role, "--platform", platform]);
        if (result === "help") continue;
        const gz = gzipSync(result.payload, { level: 9 }).length;
        const { bytes, limit, pointer } = result;
        payloads.push([
          os,
          role,
          platform,
          bytes,
          gz,
          limit ? `${limit.bytes}` : "none",
          pointer
            ? "stored by the platform, a pointer in user-data"
            : !limit || bytes <= limit.bytes
              ? "fits"
              : "TOO BIG",
        ]);
      }
    }
  }

  const starts = renderStarts();

  const text = [
    `# minos bench (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s)`,
    "",
    `Evaluation under Pulumi mocks, AWS platform, 1 control-plane node and W workers in pools of 10; the floor registers as many raw \`@pulumi/aws\` resources with payloads of the same size. ms is the main thread's busy time from the start of the plan until the stack is done (the Pulumi runtime's work after the program returns counts, the plan's idle wait for late declarations does not), the median of ${CASE_RUNS} runs, each followed by its floor's.`,
    "",
    table(
      [
        "case",
        "W",
        "ms",
        "floor ms",
        "× floor",
        "MiB",
        "floor MiB",
        "resources",
        "growth per ×10 W",
      ],
      rows,
    ),
    "",
    kvm,
    "First-boot payloads (throwaway secrets, Kubernetes defaults), raw and gzip -9:",
    "",
    table(["OS", "role", "platform", "bytes", "gzip bytes", "limit", "delivery"], payloads),
    "",
    renderStartsText(starts),
  ].join("\n");
  process.stdout.write(text);
  writeFileSync(
    join(__dirname, "results.json"),
    `${JSON.stringify({ date: new Date().toISOString(), results, payloads, renderStarts: starts }, null, 2)}\n`,
  );
}

if (process.argv[2] === "render") process.stdout.write(renderStartsText(renderStarts()));
else if (process.argv[2] === "kvm") process.stdout.write(kvmCases());
else main();
