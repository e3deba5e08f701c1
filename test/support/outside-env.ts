/**
 * This process's environment without what the workspace's package manager
 * adds to it: NODE_PATH (pnpm's bin shims point it into this workspace's
 * node_modules, where every package resolves) and npm/pnpm settings. A
 * child process given this sees only its own folder, as on a user's machine.
 */
export function outsideEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(NODE_PATH|NODE_OPTIONS|npm_.*|pnpm_.*|PNPM_.*)$/i.test(key),
    ),
  );
}
