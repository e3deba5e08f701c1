/**
 * `pnpm bench`: what a cluster program costs, against the floor.
 *
 * 1. Each OS with 1 control-plane node and W workers (pools of 10) on AWS,
 *    evaluated under Pulumi mocks in a process of its own: wall time, peak
 *    RSS, resources registered.
 * 2. The floor: a bare program registering as many raw `@pulumi/aws`
 *    resources, each with a payload of the same size, no component logic.
 * 3. Every OS × role payload, raw and gzip-compressed, against the limit
 *    each platform names for the OS's delivery (`minos render`'s own).
 *
 * Prints Markdown tables and writes bench/results.json.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
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

const table = (header: string[], rows: (string | number)[][]) =>
  [header, header.map(() => "---"), ...rows.map((r) => r.map(String))]
    .map((r) => `| ${r.join(" | ")} |`)
    .join("\n");

async function main() {
  const started = Date.now();
  const results: { case: CaseResult; floor: CaseResult }[] = [];
  for (const os of OSES) {
    for (const w of WORKERS) {
      const measured = runCase(os, w);
      const floor = runCase("floor", w, measured.resources, measured.payloadBytes);
      results.push({ case: measured, floor });
      process.stderr.write(`bench: ${os} W=${w}: ${measured.ms} ms (floor ${floor.ms} ms)\n`);
    }
  }
  const rows = results.map(({ case: c, floor }, i) => {
    const previous = i % WORKERS.length === 0 ? undefined : results[i - 1]?.case;
    return [
      c.kind,
      c.workers,
      c.ms,
      floor.ms,
      (c.ms / Math.max(floor.ms, 1)).toFixed(2),
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

  const text = [
    `# minos bench (${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s)`,
    "",
    "Evaluation under Pulumi mocks, AWS platform, 1 control-plane node and W workers in pools of 10; the floor registers as many raw `@pulumi/aws` resources with payloads of the same size.",
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
    "First-boot payloads (throwaway secrets, Kubernetes defaults), raw and gzip -9:",
    "",
    table(["OS", "role", "platform", "bytes", "gzip bytes", "limit", "delivery"], payloads),
    "",
  ].join("\n");
  process.stdout.write(text);
  writeFileSync(
    join(__dirname, "results.json"),
    `${JSON.stringify({ date: new Date().toISOString(), results, payloads }, null, 2)}\n`,
  );
}

main();
