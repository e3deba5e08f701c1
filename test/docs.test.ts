import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { headingAnchors, links, markdownFiles, repoPaths } from "./support/markdown.js";
import { installMocks, plain, resolved } from "./support/pulumi-mocks.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const FILES = markdownFiles(ROOT);

/** Where a link goes, or why it goes nowhere. */
function brokenLink(from: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:
  const [path = "", anchor] = target.split("#");
  const file = path === "" ? from : normalize(join(dirname(from), decodeURI(path)));
  if (file.startsWith("..")) return `${file} is outside the repository`;
  if (!existsSync(join(ROOT, file))) return `${file} does not exist`;
  if (anchor === undefined) return undefined;
  if (statSync(join(ROOT, file)).isDirectory()) return `#${anchor} on a folder`;
  if (!headingAnchors(read(file)).has(anchor)) return `${file} has no heading #${anchor}`;
  return undefined;
}

describe("docs", () => {
  it("reads the READMEs, docs pages, examples and CONTRIBUTING.md", () => {
    for (const page of [
      "README.md",
      "CONTRIBUTING.md",
      "docs/security.md",
      "docs/os/talos.md",
      "docs/platforms/kvm.md",
      "examples/README.md",
      "packages/core/README.md",
    ])
      expect(FILES).toContain(page);
    expect(FILES.some((f) => f.includes("node_modules"))).toBe(false);
  });

  it("links only to files and headings that exist", () => {
    const broken = FILES.flatMap((file) =>
      links(read(file)).flatMap(({ target, line }) => {
        const why = brokenLink(file, target);
        return why ? [`${file}:${line} (${target}): ${why}`] : [];
      }),
    );
    expect(broken).toEqual([]);
    // The check has something to check.
    expect(FILES.flatMap((f) => links(read(f))).length).toBeGreaterThan(100);
  });

  it("names in backticks only repository paths that exist", () => {
    const missing = FILES.flatMap((file) =>
      repoPaths(read(file))
        .filter(({ target }) => !existsSync(join(ROOT, target)))
        .map(({ target, line }) => `${file}:${line}: ${target}`),
    );
    expect(missing).toEqual([]);
    expect(FILES.flatMap((f) => repoPaths(read(f))).length).toBeGreaterThan(20);
  });

  it("names tarballs as pnpm pack names the workspace's packages", () => {
    const named = [...read("README.md").matchAll(/minos-([a-z]+)-(\d+\.\d+\.\d+)\.tgz/g)];
    expect(named.length).toBeGreaterThan(3);
    for (const [file, folder, version] of named) {
      const manifest = JSON.parse(read(`packages/${folder}/package.json`));
      expect(`${manifest.name}@${manifest.version}`, file).toBe(`@minos/${folder}@${version}`);
    }
  });

  it("keeps README.md to one page of 250 lines at most", () => {
    const lines = read("README.md").split("\n").length;
    expect(lines).toBeLessThanOrEqual(250);
  });
});

describe("GitHub's heading anchors", () => {
  it("lowercases, drops punctuation, joins words with hyphens and numbers repeats", () => {
    const anchors = headingAnchors(
      [
        "# minos",
        "## Talos, `machine-api`",
        "### What a worker payload grants",
        "## Node groups, here or in another stack",
        "## Notes",
        "## Notes",
        "```sh",
        "# not a heading",
        "```",
      ].join("\n"),
    );
    expect([...anchors]).toEqual([
      "minos",
      "talos-machine-api",
      "what-a-worker-payload-grants",
      "node-groups-here-or-in-another-stack",
      "notes",
      "notes-1",
    ]);
  });
});

describe("the README's KVM quick start", () => {
  const quickStart = read("README.md")
    .split(/^## /m)
    .find((s) => s.startsWith("Quick start"));
  // One run of the example under mocks, as `minos plan examples/kvm-flatcar` makes it.
  const run = (async () => {
    const registered = installMocks();
    const program = await import("../examples/kvm-flatcar/index.js");
    await resolved(program.controlPlaneIps);
    await new Promise((r) => setTimeout(r, 500));
    return registered;
  })();

  it("states the resource count minos plan lists, and pulumi up's with the stack", async () => {
    const registered = await run;
    expect(quickStart).toBeDefined();
    const planned = Number(/minos plan[^.]*?(\d+) resources/.exec(quickStart ?? "")?.[1]);
    expect(planned).toBe(registered.length);
    const created = Number(/\+ (\d+) created/.exec(quickStart ?? "")?.[1]);
    expect(created).toBe(registered.length + 1);
  });

  it("shows kubectl get nodes with the names the KVM platform gives the nodes", async () => {
    const domains = (await run).filter((r) => r.type.endsWith("minos-libvirt:Domain"));
    // A control plane's host name is fixed; a worker's ends in its six-hex generation.
    const hosts = domains.map((d) => plain<{ hostname?: string }>(d.inputs).hostname ?? d.name);
    expect(hosts).toHaveLength(2);
    expect(hosts[0]).toBe("lab-control-plane-0");
    expect(hosts[1]).toMatch(/^lab-worker-general-0-[0-9a-f]{6}$/);
    const shown = [...(quickStart ?? "").matchAll(/^(lab-\S+)\s+Ready\s/gm)].map((m) => m[1]);
    expect(shown).toHaveLength(2);
    expect(shown[0]).toBe(hosts[0]);
    expect(shown[1]).toMatch(/^lab-worker-general-0-[0-9a-f]{6}$/);
  });

  it("states the guests' memory: every domain's, added up", async () => {
    const domains = (await run).filter((r) => r.type.endsWith("minos-libvirt:Domain"));
    const mib = domains.reduce(
      (sum, d) => sum + plain<{ memoryMiB: number }>(d.inputs).memoryMiB,
      0,
    );
    expect(mib).toBeGreaterThan(0);
    expect(quickStart).toContain(`${mib / 1024} GiB of guests`);
  });

  it("states the readiness gates' timeout", async () => {
    const gates = (await run).filter((r) => r.type.endsWith("minos:ApiReadiness"));
    expect(gates.map((g) => g.name).sort()).toEqual(["lab-api-ready", "lab-nodes-ready"]);
    const timeouts = new Set(
      gates.map((g) => plain<{ timeoutSeconds: number }>(g.inputs).timeoutSeconds),
    );
    expect(timeouts.size).toBe(1);
    const [timeout] = [...timeouts];
    expect(timeout).toBeGreaterThan(0);
    expect(quickStart).toContain(`${timeout} s`);
  });
});
