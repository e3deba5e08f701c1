/** How a downloaded image is verified. */
export type DigestSpec =
  | { algorithm: "sha256" | "sha512"; value: string }
  | { algorithm: "sha256" | "sha512"; url: string }
  /** Explicitly unverified. Only for images you serve yourself. */
  | { insecureSkipVerify: true };

const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

/**
 * Finds a file's digest in a published digest list: `sha256sum`/`sha512sum`
 * output, or Flatcar's DIGESTS (sections per algorithm, same line format).
 * Only lines of the right length for the algorithm and naming the file count.
 */
export function digestFromList(
  list: string,
  fileName: string,
  algorithm: "sha256" | "sha512",
): string | undefined {
  for (const line of list.split("\n")) {
    const m = /^([0-9a-fA-F]+)\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m?.[1]?.length === HEX_LENGTH[algorithm] && m[2]?.split("/").pop() === fileName)
      return m[1].toLowerCase();
  }
  return undefined;
}

/** Checks a pinned digest's shape. */
export function checkDigest(algorithm: "sha256" | "sha512", value: string): string {
  if (!new RegExp(`^[0-9a-f]{${HEX_LENGTH[algorithm]}}$`).test(value)) {
    throw new Error(
      `minos: ${algorithm} digest must be ${HEX_LENGTH[algorithm]} lowercase hex characters, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
