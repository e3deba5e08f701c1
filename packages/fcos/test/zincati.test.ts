import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { workerContext } from "../../../test/support/context.js";
import { zincatiIgnition } from "../src/index.js";

/**
 * Zincati's configuration keys and what it checks of them
 * (coreos/zincati src/config/fragments.rs, src/identity, src/strategy).
 * Zincati ignores unknown keys silently, so a typo would change nothing:
 * the reference is the only check a misspelt key would meet.
 */
const ZINCATI: Record<string, (v: unknown) => boolean> = {
  "identity.group": (v) => typeof v === "string" && /^[a-zA-Z0-9.-]+$/.test(v),
  "updates.enabled": (v) => typeof v === "boolean",
  "updates.strategy": (v) => v === "fleet_lock" || v === "immediate" || v === "periodic",
  // Parsed as a URL; endpoints are joined relative to it, so it must end in "/".
  "updates.fleet_lock.base_url": (v) => typeof v === "string" && URL.canParse(v) && v.endsWith("/"),
};

function leaves(value: unknown, at = ""): [string, unknown][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [[at, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
}

const render = (over: Parameters<typeof workerContext>[0]) => {
  const spec = zincatiIgnition(workerContext(over));
  const file = spec.files?.find((f) => f.path === "/etc/zincati/config.d/55-minos-updates.toml");
  const text = typeof file?.contents === "string" ? file.contents : "";
  return { spec, config: parse(text) };
};

describe("Zincati's drop-in, as Zincati reads it", () => {
  it.each([
    ["a worker, coordinated", {}],
    ["a control-plane node, coordinated", { controlPlane: {} as never }],
    ["updates off", { osUpdates: { mode: "off" as const } }],
  ])("%s uses only keys Zincati knows, with values it accepts", (_what, over) => {
    for (const [key, value] of leaves(render(over).config)) {
      expect(ZINCATI[key], `Zincati has no ${key}`).toBeDefined();
      expect(ZINCATI[key]?.(value), `${key} = ${JSON.stringify(value)}`).toBe(true);
    }
  });

  it("puts control-plane nodes and workers in their own FleetLock groups", () => {
    const groupOf = (over: Parameters<typeof workerContext>[0]) =>
      (render(over).config.identity as { group: string }).group;
    expect(groupOf({ controlPlane: {} as never })).toBe("control-plane");
    expect(groupOf({})).toBe("workers");
  });
});
