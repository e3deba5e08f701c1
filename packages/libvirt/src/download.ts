import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** Compression of a published image. */
export type Compression = "none" | "gz" | "bz2" | "xz";

const DECOMPRESSORS: Record<Exclude<Compression, "none">, string[]> = {
  gz: ["gzip", "-dc"],
  bz2: ["bzip2", "-dc"],
  xz: ["xz", "-dc"],
};

/** Progress of a download, reported about every 10%. */
export interface DownloadProgress {
  bytes: number;
  total?: number;
  seconds: number;
}

/**
 * Streams a URL to `target`, hashing the bytes as published (compressed) and
 * decompressing with the system's gzip/bzip2/xz on the way. Returns the
 * digest; the caller compares it before using the file.
 */
export async function download(
  url: string,
  target: string,
  algorithm: "sha256" | "sha512" | undefined,
  compression: Compression,
  progress: (p: DownloadProgress) => void = () => {},
): Promise<{ digest?: string; bytes: number }> {
  const response = await fetch(url);
  if (!response.ok || !response.body)
    throw new Error(`minos: GET ${url} answered ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get("content-length")) || undefined;
  const hash = algorithm ? createHash(algorithm) : undefined;
  const started = Date.now();
  let bytes = 0;
  let nextReport = 0.1;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash?.update(chunk);
      if (total && bytes / total >= nextReport) {
        progress({ bytes, total, seconds: (Date.now() - started) / 1000 });
        nextReport += 0.1;
      }
      done(null, chunk);
    },
  });
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
  const file = createWriteStream(target, { mode: 0o600 });
  if (compression === "none") {
    await pipeline(body, meter, file);
  } else {
    const [command, ...args] = DECOMPRESSORS[compression];
    const child = spawn(command as string, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<void>((resolve, reject) =>
      child.on("close", (code) =>
        code === 0
          ? resolve()
          : reject(
              new Error(`minos: ${command} ${args.join(" ")} failed (${code}): ${stderr.trim()}`),
            ),
      ),
    );
    await Promise.all([pipeline(body, meter, child.stdin), pipeline(child.stdout, file), exited]);
  }
  progress({
    bytes,
    ...(total !== undefined && { total }),
    seconds: (Date.now() - started) / 1000,
  });
  return { ...(hash && { digest: hash.digest("hex") }), bytes };
}
