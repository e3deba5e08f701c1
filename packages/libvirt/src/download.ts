import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { withChild } from "./child.js";
import type { HostToolName } from "./host-tools.js";

/** Compression of a published image. */
export type Compression = "none" | "gz" | "bz2" | "xz";

const DECOMPRESSORS: Record<Exclude<Compression, "none">, [HostToolName, ...string[]]> = {
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
 *
 * When anything fails (the server drops the connection or sends something
 * the decompressor refuses, the file cannot be written, nothing arrives for
 * `idleTimeoutMs`), the request is aborted and the decompressor killed and
 * reaped before the error is thrown.
 */
export async function download(
  url: string,
  target: string,
  algorithm: "sha256" | "sha512" | undefined,
  compression: Compression,
  progress: (p: DownloadProgress) => void = () => {},
  { idleTimeoutMs = 120_000 }: { idleTimeoutMs?: number } = {},
): Promise<{ digest?: string; bytes: number }> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  if (!response.ok || !response.body) {
    abort.abort();
    throw new Error(`minos: GET ${url} answered ${response.status} ${response.statusText}`);
  }
  const total = Number(response.headers.get("content-length")) || undefined;
  const hash = algorithm ? createHash(algorithm) : undefined;
  const started = Date.now();
  let bytes = 0;
  let nextReport = 0.1;
  // A connection can stall without ever failing (and a closed one goes
  // unnoticed while nothing reads it): no byte for this long ends the download.
  let idle: NodeJS.Timeout | undefined;
  const stalled = () => {
    if (!body.readableEnded && !body.destroyed)
      body.destroy(
        new Error(`minos: GET ${url}: no data for ${idleTimeoutMs / 1000} s after ${bytes} bytes`),
      );
  };
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(stalled, idleTimeoutMs);
  };
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      watch();
      bytes += chunk.length;
      hash?.update(chunk);
      if (total && bytes / total >= nextReport) {
        progress({ bytes, total, seconds: (Date.now() - started) / 1000 });
        nextReport += 0.1;
      }
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(idle);
      done();
    },
  });
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
  watch();
  try {
    if (compression === "none") {
      await pipeline(body, meter, createWriteStream(target, { mode: 0o600 }));
    } else {
      const [command, ...args] = DECOMPRESSORS[compression];
      await withChild(
        command,
        args,
        { stdio: ["pipe", "pipe", "pipe"] },
        async (child, succeeded) => {
          await Promise.all([
            pipeline(body, meter, child.stdin as NodeJS.WritableStream),
            pipeline(
              child.stdout as NodeJS.ReadableStream,
              createWriteStream(target, { mode: 0o600 }),
            ),
            succeeded,
          ]);
        },
      );
    }
  } catch (e) {
    abort.abort();
    body.destroy();
    throw e;
  } finally {
    clearTimeout(idle);
  }
  progress({
    bytes,
    ...(total !== undefined && { total }),
    seconds: (Date.now() - started) / 1000,
  });
  return { ...(hash && { digest: hash.digest("hex") }), bytes };
}
