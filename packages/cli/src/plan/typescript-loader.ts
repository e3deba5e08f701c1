import { MissingPeerError } from "../cli-error.js";

export { MissingPeerError };

/** The part of tsx's CommonJS API `minos plan` uses. */
interface TsxCjsApi {
  register(): unknown;
}

/**
 * Lets `require` load a program's TypeScript, as Pulumi's own ts-node would.
 * tsx is an optional peer dependency of @minos/cli: only `minos plan` needs
 * it, so `minos render` and library users install no esbuild.
 */
export function registerTypeScript(load: (id: string) => unknown = require): void {
  let api: TsxCjsApi;
  try {
    api = load("tsx/cjs/api") as TsxCjsApi;
  } catch (error) {
    // Only tsx itself missing; a broken tsx install keeps its own error.
    const { code, message } = error as { code?: string; message?: string };
    if (code !== "MODULE_NOT_FOUND" || !message?.includes("'tsx/cjs/api'")) throw error;
    throw new MissingPeerError(
      "minos plan compiles the program's TypeScript with tsx, an optional peer dependency of @minos/cli: install it beside @minos/cli (npm install --save-dev tsx, or pnpm add -D tsx)",
    );
  }
  api.register();
}
