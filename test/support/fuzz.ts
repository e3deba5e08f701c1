import type { MinosError, NodeOs, Platform } from "@minos/core";
import fc from "fast-check";
import { expect } from "vitest";

/** By name, so that a MinosError from a package's own `src` counts as one from its `dist`. */
export const isMinosError = (e: unknown): e is MinosError =>
  (e as Error | undefined)?.name === "MinosError";

/** A validator may accept or throw a MinosError that says what is invalid, never anything else. */
export function onlyMinosErrors(fn: () => unknown): MinosError | undefined {
  try {
    fn();
  } catch (e) {
    if (!isMinosError(e)) throw e;
    expect(e.message).toMatch(/^minos: invalid \S/);
    return e;
  }
  return undefined;
}

/** Any JavaScript value a user's program could pass, odd objects included. */
export const anything = fc.anything({
  withBigInt: false,
  withNullPrototype: true,
  withObjectString: true,
});

/** An OS with nothing but a name and one platform, for checks that never render. */
export const fakeOs: NodeOs = {
  name: "fake",
  platforms: ["kvm"],
  image: () => {
    throw new Error("unused");
  },
  delivery: () => ({ kind: "cidata" }),
  render: () => ({ payload: "", format: "ignition" }),
};

/** A platform that is only a name, for argument checks. */
export const fakePlatform = { name: "kvm" } as Platform;
