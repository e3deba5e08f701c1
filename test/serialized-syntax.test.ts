/**
 * Pulumi serializes a dynamic provider by parsing its functions' source
 * text with the TypeScript it can resolve from `@pulumi/pulumi`, and, in a
 * program that lists no `typescript` (every example), with its own vendored
 * TypeScript 3.8.3, which fails on newer syntax (`??=`: "'{' expected").
 * The packages' compiled JavaScript is what it parses, so all of it must be
 * syntax 3.8.3 reads. Relies on `dist` being built (`pnpm test` runs
 * `tsc -b` first), as the other tests of compiled output do.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { packageManifests } from "./support/manifests.js";
import { outsideEnv } from "./support/outside-env.js";
import {
  parseProblems,
  pulumiFolder,
  VENDORED_TS_VERSION,
  vendoredTypeScript,
  vendoredTypeScriptPath,
} from "./support/vendored-typescript.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PULUMI = pulumiFolder(import.meta.url);
const ts = vendoredTypeScript(PULUMI);

/** Every file under `dir` whose name ends with `suffix`, relative to `dir`. */
function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(suffix))
    .sort();
}

const packages = packageManifests.map(([folder]) => folder);

describe(`every package's compiled JavaScript parses with @pulumi/pulumi's vendored TypeScript ${VENDORED_TS_VERSION}`, () => {
  it("loads that TypeScript from @pulumi/pulumi's own vendor folder", () => {
    expect(ts.version).toBe(VENDORED_TS_VERSION);
  });

  it("reports the syntax 3.8.3 cannot read (logical assignment) and reads what it can (?., ??, 1_000)", () => {
    expect(parseProblems(ts, "x.js", "let a;\na ??= 1;\n")).toEqual([
      "x.js:2:5 Expression expected. (a ??= 1;)",
    ]);
    for (const op of ["||=", "&&="])
      expect(parseProblems(ts, "x.js", `let a; a ${op} 1;\n`), op).toHaveLength(1);
    const older = "let a; a ?? (a = b?.c);\nconst n = 16_384n + 1n;\nclass C { x = 1; #y = 2; }\n";
    expect(parseProblems(ts, "x.js", older)).toEqual([]);
  });

  it.each(packages)("%s: dist holds a .js for every source file", (folder) => {
    const src = join(ROOT, "packages", folder, "src");
    const dist = join(ROOT, "packages", folder, "dist");
    expect(existsSync(dist), `${dist}: build first (pnpm -s tsc -b)`).toBe(true);
    const built = new Set(filesUnder(dist, ".js"));
    const missing = filesUnder(src, ".ts")
      .filter((f) => !f.endsWith(".d.ts"))
      .map((f) => f.replace(/\.ts$/, ".js"))
      .filter((f) => !built.has(f));
    expect(missing, `${dist} is stale: build first (pnpm -s tsc -b)`).toEqual([]);
  });

  it.each(packages)("%s: every dist/**/*.js parses without a diagnostic", (folder) => {
    const dist = join(ROOT, "packages", folder, "dist");
    const files = filesUnder(dist, ".js");
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((f) =>
      parseProblems(ts, relative(ROOT, join(dist, f)), readFileSync(join(dist, f), "utf8")),
    );
    expect(problems).toEqual([]);
  });

  // A program compiled by that TypeScript (one that lists none) reads these:
  // one it cannot parse (a `const` type parameter) turns into wrong types.
  it.each(packages)("%s: every dist/**/*.d.ts parses without a diagnostic", (folder) => {
    const dist = join(ROOT, "packages", folder, "dist");
    const files = filesUnder(dist, ".d.ts");
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((f) =>
      parseProblems(ts, relative(ROOT, join(dist, f)), readFileSync(join(dist, f), "utf8"), "ts"),
    );
    expect(problems).toEqual([]);
  });
});

/**
 * Serializes providers in a process of its own in which `require("typescript")`
 * fails, as it does from `@pulumi/pulumi` in a program that lists none, so
 * Pulumi's typescript-shim falls back to its vendored 3.8.3; prints each
 * provider's text and every typescript.js the process loaded.
 */
const SERIALIZE = `
  const Module = require("node:module");
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === "typescript")
      throw Object.assign(new Error("Cannot find module 'typescript'"), { code: "MODULE_NOT_FOUND" });
    return resolve.call(this, request, ...rest);
  };
  const pulumi = require(process.argv[1]);
  const providers = {
    "libvirt domain": require("./packages/libvirt/dist/shim.js").providerShim("domain"),
    "api readiness": require("./packages/core/dist/readiness/api-readiness.js").apiReadinessProvider,
    "version gate": require("./packages/core/dist/readiness/kubernetes-version-gate.js").kubernetesVersionGateProvider,
    "probe collector": require("./packages/workload/dist/collector/probe-collector.js").collectorShim,
  };
  (async () => {
    const texts = {};
    for (const [name, provider] of Object.entries(providers))
      texts[name] = (await pulumi.runtime.serializeFunction(() => provider)).text;
    const typescripts = Object.keys(require.cache).filter((f) => /[\\\\/]typescript\\.js$/.test(f));
    console.log(JSON.stringify({ texts, typescripts }));
  })().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1); });
`;

describe("serialization with only the vendored TypeScript", () => {
  it("serializes the KVM domain's provider, core's readiness and version gates and the probe collector, loading no other TypeScript", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", SERIALIZE, PULUMI], {
      cwd: ROOT,
      encoding: "utf8",
      env: outsideEnv(),
      maxBuffer: 64 * 2 ** 20,
    });
    const { texts, typescripts } = JSON.parse(stdout) as {
      texts: Record<string, string>;
      typescripts: string[];
    };
    expect(typescripts).toEqual([vendoredTypeScriptPath(PULUMI)]);
    expect(texts["libvirt domain"]).toContain('specifier: "@minos/libvirt/providers"');
    expect(texts["libvirt domain"]).toContain('name: "domain"');
    expect(texts["api readiness"]).toContain("/readyz");
    expect(texts["version gate"]).toContain("exports.handler");
    expect(texts["probe collector"]).toContain('specifier: "@minos/workload/providers"');
    expect(texts["probe collector"]).toContain('name: "probeCollector"');
    for (const [name, text] of Object.entries(texts))
      expect(parseProblems(ts, name, text), name).toEqual([]);
  }, 120_000);
});
