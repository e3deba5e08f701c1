import type { ChildProcess, SpawnOptions } from "node:child_process";
import { spawn } from "node:child_process";
import type { HostToolName } from "./host-tools.js";
import { spawnFailure } from "./host-tools.js";

/** How a child ended. */
interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/**
 * Runs `work` with a spawned child and owns the child's life: when `work`
 * fails (a broken download, a full disk, the other end of a pipe gone), the
 * child is sent SIGKILL unless it has already ended, and the failure is
 * reported only once the child has exited and been reaped. No decompressor
 * or `virsh` is left running, or waiting on a pipe nobody reads, after the
 * operation that started it has given up.
 *
 * `succeeded` settles when the child has exited and its output is closed:
 * resolved for exit status 0, rejected with its stderr otherwise. A program
 * that is not installed fails as a MissingHostToolError, whichever comes first.
 */
export async function withChild<T>(
  command: HostToolName,
  args: string[],
  options: SpawnOptions,
  work: (child: ChildProcess, succeeded: Promise<void>) => Promise<T>,
): Promise<T> {
  const child = spawn(command, args, options);
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const line = [command, ...args].join(" ");
  const ended = new Promise<Ended>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
    child.on("error", (error) => resolve({ code: null, signal: null, error }));
  });
  const succeeded = new Promise<void>((resolve, reject) => {
    child.on("close", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`minos: \`${line}\` failed (${signal ?? code}): ${stderr.trim()}`)),
    );
    child.on("error", (e) => {
      const failure = spawnFailure(command, e);
      reject(failure !== e ? failure : new Error(`minos: cannot run \`${line}\`: ${e.message}`));
    });
  });
  // The caller awaits it, or fails for another reason first.
  succeeded.catch(() => undefined);
  try {
    return await work(child, succeeded);
  } catch (e) {
    // A child that has just failed on its own (the usual cause of a broken
    // pipe) gets a moment to exit and say why; then it is killed.
    const exited = await Promise.race([ended, delay(GRACE_MS)]);
    const killed = exited === undefined && child.kill("SIGKILL");
    const end = await ended;
    // Whatever `work` tripped over (a pipe to a child that never ran), the cause is the missing program.
    const missing = end.error && spawnFailure(command, end.error);
    if (missing && missing !== end.error) throw missing;
    if (!killed && !end.error && end.code !== 0) {
      // Let its last words arrive.
      await Promise.race([succeeded.catch(() => undefined), delay(GRACE_MS)]);
      throw new Error(
        `minos: \`${line}\` failed (${end.signal ?? end.code}): ${stderr.trim() || "no output"}`,
        { cause: e },
      );
    }
    throw e;
  }
}

/** How long a failing child may take to end on its own before it is killed. */
const GRACE_MS = 100;

const delay = (ms: number) => new Promise<undefined>((r) => setTimeout(r, ms, undefined));
