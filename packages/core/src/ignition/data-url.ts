import { gzipSync } from "fflate";
import type { IgnitionResource } from "./types.js";

/**
 * Inlines content as the smallest of three data URLs: percent-encoded text,
 * base64, or gzip then base64 (Ignition's `compression: gzip`). Ties go to the
 * more readable form.
 *
 * Compression is fflate's pure-JS deflate, not node:zlib: Node bundles a zlib
 * fork whose output may differ between CPUs and Node releases, and a changed
 * byte in user-data replaces a node.
 */
export function inlineResource(content: string | Uint8Array): IgnitionResource {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const candidates: IgnitionResource[] = [];
  if (typeof content === "string")
    candidates.push({ source: `data:,${encodeURIComponent(content)}` });
  candidates.push({ source: `data:;base64,${Buffer.from(bytes).toString("base64")}` });
  const gzipped = gzipSync(bytes, { level: 9, mtime: 0 });
  candidates.push({
    compression: "gzip",
    source: `data:;base64,${Buffer.from(gzipped).toString("base64")}`,
  });
  return candidates.reduce((best, next) => (next.source.length < best.source.length ? next : best));
}
