import { gunzipSync } from "node:zlib";
import type { ignition } from "@minos/core";

/** Decodes an inline Ignition resource the way Ignition does. */
export function decodeResource(r: ignition.IgnitionResource): string {
  const [meta, data = ""] = r.source.slice("data:".length).split(/,(.*)/s);
  const bytes = meta?.endsWith(";base64")
    ? Buffer.from(data, "base64")
    : Buffer.from(decodeURIComponent(data));
  return (r.compression === "gzip" ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** The decoded contents of one file in a rendered Ignition config. */
export function fileContents(rendered: string, path: string): string {
  const config = JSON.parse(rendered) as ignition.IgnitionConfig;
  const file = config.storage?.files?.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the config`);
  return decodeResource(file.contents);
}
