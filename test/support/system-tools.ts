import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The real Ignition binary, which Debian ships inside dracut's module folder. */
export const IGNITION_BINARY = "/usr/lib/dracut/modules.d/30ignition/ignition";

/**
 * Whether a system tool is here. Missing tools skip their tests with a loud
 * message on a laptop, and fail the run under CI=true, where
 * scripts/install-test-tools.sh must have installed them.
 */
export function haveTool(label: string, path: string): boolean {
  const found = path.startsWith("/")
    ? existsSync(path)
    : spawnSync("sh", ["-c", `command -v ${path}`]).status === 0;
  if (found) return true;
  if (process.env.CI === "true") {
    throw new Error(
      `${label} (${path}) is missing under CI=true; run scripts/install-test-tools.sh`,
    );
  }
  console.warn(
    `\n!!! SKIPPING ${label} tests: ${path} not found. Run scripts/install-test-tools.sh to run them.\n`,
  );
  return false;
}
