/**
 * The CPU architecture of an EC2 instance type, from its name: Graviton
 * families carry a `g` among the letters after their generation (t4g, m7gd,
 * c6gn, x2gd, im4gn, is4gen, g5g, hpc7g), and a1 is the first Graviton; a
 * `g` that starts the family is a GPU (g4dn, g6) on x86. Undefined where
 * the name says nothing sure (mac types, anything unusual).
 */
export function instanceArch(type: string): "amd64" | "arm64" | undefined {
  const m = /^([a-z]+)(\d+)([a-z-]*)\./.exec(type);
  if (!m) return undefined;
  const [, family, generation, options] = m as unknown as [string, string, string, string];
  if (family === "mac") return undefined;
  if (family === "a" && generation === "1") return "arm64";
  return options.includes("g") ? "arm64" : "amd64";
}
