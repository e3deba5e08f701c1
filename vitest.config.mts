import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so they never see a stale dist/.
    alias: [
      // Platform packages' description-only entries, for tools that make no resources.
      {
        find: /^@minos\/(aws|gcp|kvm)\/description$/,
        replacement: fileURLToPath(new URL("./packages/$1/src/description.ts", import.meta.url)),
      },
      {
        find: /^@minos\/core\/render$/,
        replacement: fileURLToPath(new URL("./packages/core/src/render.ts", import.meta.url)),
      },
      { find: /^@minos\/core$/, replacement: src("core") },
      { find: /^@minos\/aws$/, replacement: src("aws") },
      { find: /^@minos\/gcp$/, replacement: src("gcp") },
      { find: /^@minos\/kvm$/, replacement: src("kvm") },
      // The Pulumi-free entries `minos render` loads, from the same sources.
      ...["flatcar", "fcos", "talos", "bottlerocket"].map((os) => ({
        find: new RegExp(`^@minos/${os}/render$`),
        replacement: fileURLToPath(new URL(`./packages/${os}/src/render.ts`, import.meta.url)),
      })),
      { find: /^@minos\/flatcar$/, replacement: src("flatcar") },
      { find: /^@minos\/fcos$/, replacement: src("fcos") },
      { find: /^@minos\/talos$/, replacement: src("talos") },
      { find: /^@minos\/bottlerocket$/, replacement: src("bottlerocket") },
      { find: /^@minos\/cli$/, replacement: src("cli") },
      { find: /^@minos\/libvirt$/, replacement: src("libvirt") },
      { find: /^@minos\/provider-kit$/, replacement: src("provider-kit") },
      {
        find: /^@minos\/libvirt\/host$/,
        replacement: fileURLToPath(new URL("./packages/libvirt/src/host.ts", import.meta.url)),
      },
      // The examples' shared helpers, so a test reads the same declared config the program did.
      { find: /^@minos\/workload$/, replacement: src("workload") },
    ],
  },
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
