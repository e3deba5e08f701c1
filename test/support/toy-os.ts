/**
 * An OS written outside minos, against `@minos/core`'s public exports only:
 * "toyos" boots on toycloud alone. Its first-boot payload is the JSON of
 * what it was told (keys sorted, so the same context gives the same bytes),
 * and it follows a pointer to a payload stored elsewhere.
 */
import { createHash } from "node:crypto";
import type {
  BootstrapContext,
  KubernetesSupport,
  NodeOs,
  NodeRole,
  PayloadPointer,
} from "@minos/core";
import { MinosError, optionKeys, platformOf } from "@minos/core";
import type { ToyImageRef } from "./toy-platform.js";

/** toyos' own options, beside the cluster's arguments. */
export interface ToyOsOptions {
  /** `stable` or `edge`. Default `stable`. */
  toyChannel?: "stable" | "edge";
  /** Filler bytes in every payload, to make it as big as a test needs. Default 0. */
  padding?: number;
}

export const TOY_PLATFORMS = ["toycloud"] as const;

/** toyos ships kubelet 1.34 and 1.35 only. */
export const TOY_KUBERNETES: KubernetesSupport = {
  minMinor: 34,
  maxMinor: 35,
  defaultVersion: "1.35.2",
  source: "toyos ships kubelet 1.34 and 1.35",
};

/** What a toyos node boots with when its payload is stored elsewhere. */
export const toyPointer: PayloadPointer = (source, payload) =>
  stableJson({
    toyos: "follow",
    source,
    sha256: createHash("sha256").update(payload).digest("hex"),
  });

/** JSON with object keys sorted at every level. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** What a toyos payload holds. */
export interface ToyPayload {
  os: "toyos";
  channel: string;
  role: NodeRole;
  ctx: BootstrapContext;
  padding?: string;
}

export function toyOs(options: ToyOsOptions = {}): NodeOs {
  const channel = options.toyChannel ?? "stable";
  if (channel !== "stable" && channel !== "edge")
    throw new MinosError("toyChannel", channel, 'use "stable" or "edge"');
  const padding = options.padding ?? 0;
  if (!Number.isInteger(padding) || padding < 0)
    throw new MinosError("padding", padding, "use a whole number of bytes");
  return {
    name: "toyos",
    optionKeys: optionKeys<ToyOsOptions>({ toyChannel: true, padding: true }),
    platforms: TOY_PLATFORMS,
    kubernetes: TOY_KUBERNETES,
    image(platform, arch) {
      platformOf("toyos", TOY_PLATFORMS, platform);
      return {
        platform: "toycloud",
        kind: "toy-disk",
        disk: `toyos-${channel}-${arch}`,
      } satisfies ToyImageRef;
    },
    delivery(platform) {
      platformOf("toyos", TOY_PLATFORMS, platform);
      return { kind: "user-data", pointer: toyPointer };
    },
    render: (role, ctx) => ({
      payload: stableJson({
        os: "toyos",
        channel,
        role,
        ctx,
        ...(padding > 0 && { padding: "#".repeat(padding) }),
      } satisfies ToyPayload),
      format: "toyos-json",
    }),
    validate(request) {
      if (request.cni.plugin === "cilium")
        throw new MinosError("cni", "cilium", "toyos runs flannel, or none");
    },
  };
}
