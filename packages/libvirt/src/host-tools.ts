/** Every program the driver runs on this machine, and the error it throws when one is missing. */

/** A program the driver runs, and what provides it. */
export interface HostTool {
  /** The Debian package that installs it. */
  readonly debianPackage: string;
  /** What the driver runs it for, as a sentence fragment. */
  readonly purpose: string;
}

/** Every program the driver spawns, by command name. */
export const HOST_TOOLS = {
  virsh: { debianPackage: "libvirt-clients", purpose: "talks to libvirtd" },
  genisoimage: { debianPackage: "genisoimage", purpose: "builds cidata ISOs (first boot)" },
  mkfifo: { debianPackage: "coreutils", purpose: "streams volumes out to hash them" },
  gzip: { debianPackage: "gzip", purpose: "unpacks .gz images" },
  bzip2: { debianPackage: "bzip2", purpose: "unpacks .bz2 images (Flatcar)" },
  xz: { debianPackage: "xz-utils", purpose: "unpacks .xz images (FCOS, Talos)" },
} as const satisfies Record<string, HostTool>;

/** The name of a program the driver runs. */
export type HostToolName = keyof typeof HOST_TOOLS;

/** A program the driver needs is not on this machine's PATH. */
export class MissingHostToolError extends Error {
  override readonly name = "MissingHostToolError";
  constructor(
    /** The program, e.g. `virsh`. */
    readonly command: HostToolName,
    options?: ErrorOptions,
  ) {
    const { debianPackage, purpose } = HOST_TOOLS[command];
    super(
      `minos: \`${command}\` is not installed on this machine (it ${purpose}); ` +
        `install it (Debian: apt install ${debianPackage}), and run \`minos doctor\` to check the rest of the host`,
      options,
    );
  }
}

/**
 * The error to throw for a failed spawn of `command`: a MissingHostToolError
 * when the program was not found (ENOENT), otherwise `error` itself.
 */
export function spawnFailure(command: HostToolName, error: unknown): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT"
    ? new MissingHostToolError(command, { cause: error })
    : error;
}
