import { MissingPeerError } from "./cli-error.js";

/**
 * An optional peer dependency of @minos/cli, imported when a command needs
 * it: the platform packages, which bring cloud SDKs, and Bottlerocket, an
 * OS for AWS alone, which a project that does not use them should not
 * install. Missing, it says which package to add; any other failure (a
 * broken install) keeps its own error.
 */
export async function optionalPeer<T>(
  pkg: string,
  load: () => Promise<T>,
  needed: string,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
      (message?.includes(`'${pkg}'`) || message?.includes(`'${pkg}/`));
    if (!missing) throw error;
    throw new MissingPeerError(
      `minos: ${needed} needs ${pkg}, an optional peer dependency of @minos/cli: install it beside @minos/cli (npm install --save-dev ${pkg}, or pnpm add -D ${pkg})`,
    );
  }
}
