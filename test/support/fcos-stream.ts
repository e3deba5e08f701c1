import { readFileSync } from "node:fs";
import { imagesFromStream } from "@minos/fcos";
import { mockOutputs } from "./pulumi-mocks.js";

/** The stream metadata fixture, in the documented format. */
export const fcosStreamFixture = (): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL("../../packages/fcos/test/fixtures/stable.json", import.meta.url), "utf8"),
  );

/**
 * Under mocks, StreamImages reports what its provider would read from
 * `stream` (the fixture unless given).
 */
export function mockFcosStream(stream: unknown = fcosStreamFixture()): void {
  mockOutputs("pulumi-nodejs:dynamic/minos-fcos:StreamImages", (inputs) => ({
    ...imagesFromStream(stream, inputs.arch as "amd64" | "arm64"),
  }));
}
