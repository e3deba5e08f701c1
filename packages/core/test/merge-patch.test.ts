import { describe, expect, it } from "vitest";
import { mergePatch, validatePatches } from "../src/index.js";

describe("RFC 7386 merge patch", () => {
  it("follows the RFC's examples", () => {
    // RFC 7386 appendix A, a selection.
    expect(mergePatch({ a: "b" }, { a: "c" })).toEqual({ a: "c" });
    expect(mergePatch({ a: "b" }, { b: "c" })).toEqual({ a: "b", b: "c" });
    expect(mergePatch({ a: "b" }, { a: null })).toEqual({});
    expect(mergePatch({ a: ["b"] }, { a: "c" })).toEqual({ a: "c" });
    expect(mergePatch({ a: "c" }, { a: ["b"] })).toEqual({ a: ["b"] });
    expect(mergePatch({ a: { b: "c" } }, { a: { b: "d", c: null } })).toEqual({ a: { b: "d" } });
    expect(mergePatch({ a: [{ b: "c" }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch(["a", "b"], ["c", "d"])).toEqual(["c", "d"]);
    expect(mergePatch({ a: "foo" }, null)).toBe(null);
    expect(mergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });

  it("accepts only lists of objects", () => {
    expect(validatePatches("p", undefined)).toEqual([]);
    expect(() => validatePatches("p", {})).toThrow(/list/);
  });
});
