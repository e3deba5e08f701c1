import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { haveTool } from "./system-tools.js";

/** Whether libvirt's own validator (and the xmllint it runs) is here. */
export const canValidateXml = () =>
  haveTool("virt-xml-validate", "virt-xml-validate") && haveTool("xmllint", "xmllint");

let dir: string | undefined;

/** Validates XML against libvirt's own RNG schema for its kind, as `virt-xml-validate` does. */
export function validateLibvirtXml(
  kind: "domain" | "network",
  xml: string,
): { code: number | null; output: string } {
  dir ??= mkdtempSync(join(tmpdir(), "minos-xml-"));
  const file = join(dir, `${kind}-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync("virt-xml-validate", [file, kind], { encoding: "utf8" });
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
