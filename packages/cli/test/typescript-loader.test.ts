import { describe, expect, it } from "vitest";
import { MissingPeerError, registerTypeScript } from "../src/plan/typescript-loader.js";

/** What Node's require throws for a package that is not installed. */
function notFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
}

describe("minos plan's TypeScript loader", () => {
  it("registers tsx when it is installed", () => {
    const registered: string[] = [];
    registerTypeScript((id) => ({ register: () => registered.push(id) }));
    expect(registered).toEqual(["tsx/cjs/api"]);
  });

  it("names the optional peer to install when tsx is missing", () => {
    const run = () =>
      registerTypeScript((id) => {
        throw notFound(id);
      });
    expect(run).toThrow(MissingPeerError);
    expect(run).toThrow(
      /optional peer dependency of @minos\/cli: install it .*npm install --save-dev tsx/,
    );
  });

  it("keeps tsx's own error when tsx is installed but broken", () => {
    expect(() =>
      registerTypeScript(() => {
        throw notFound("esbuild");
      }),
    ).toThrow("Cannot find module 'esbuild'");
  });
});
