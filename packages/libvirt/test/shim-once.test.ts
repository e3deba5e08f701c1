import { describe, expect, it } from "vitest";
import { providerShim } from "../src/shim.js";

describe("providerShim", () => {
  it("is one object per provider for the whole program, so Pulumi serializes each once", () => {
    expect(providerShim("domain")).toBe(providerShim("domain"));
    expect(providerShim("disk")).toBe(providerShim("disk"));
    expect(providerShim("domain")).not.toBe(providerShim("disk"));
  });
});
