import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { outsideEnv } from "./outside-env.js";

/** How the SDK marks a secret value on the wire (`pulumi.runtime.specialSigKey`, `specialSecretSig`). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * The plain value inside any secrets, as the engine hands properties to the
 * dynamic-provider host, which does not accept secrets.
 */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** What a serialized provider's method answered, or the message it threw. */
export type HostAnswer = { result: unknown } | { error: string };

/**
 * Loads a serialized dynamic provider as Pulumi's Node dynamic-provider host
 * does (`require-from-string` on the text, then `.handler()`), in a fresh
 * process whose working directory is `cwd`, and calls one method with
 * `args`, secrets unwrapped. The text sits in a temporary folder of its own,
 * so nothing resolves from beside it, and the process inherits no NODE_PATH.
 */
export async function hostCall(
  serialized: string,
  options: {
    /** The host's working directory: the Pulumi program's folder. */
    cwd: string;
    /** The @pulumi/pulumi package folder whose `require-from-string` loads the text. */
    pulumiDir: string;
    method: "check" | "diff" | "read" | "delete";
    args: unknown[];
  },
): Promise<HostAnswer> {
  const dir = mkdtempSync(join(tmpdir(), "minos-serialized-"));
  try {
    const file = join(dir, "provider.js");
    writeFileSync(file, serialized);
    const script = `
      const [file, pulumiDir, method, args] = process.argv.slice(1);
      const fromPulumi = require("node:module").createRequire(require("node:path").join(pulumiDir, "package.json"));
      const provider = fromPulumi("require-from-string")(require("node:fs").readFileSync(file, "utf8")).handler();
      Promise.resolve()
        .then(() => provider[method](...JSON.parse(args)))
        .then((result) => console.log(JSON.stringify({ result: result ?? null })), (e) => console.log(JSON.stringify({ error: e.message })));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "-e",
        script,
        file,
        options.pulumiDir,
        options.method,
        JSON.stringify(unwrapSecrets(options.args)),
      ],
      { cwd: options.cwd, encoding: "utf8", env: outsideEnv() },
    );
    return JSON.parse(stdout.trim().split("\n").pop() ?? "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
