import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/** The argument types the walk reads, by what takes them. */
export const OPTION_TYPES = {
  flatcar: ["flatcar", "FlatcarClusterArgs"],
  fcos: ["fcos", "FcosClusterArgs"],
  talos: ["talos", "TalosClusterArgs"],
  bottlerocket: ["bottlerocket", "BottlerocketNodeGroupArgs"],
  aws: ["aws", "AwsPlatformArgs"],
  eks: ["aws", "EksClusterOptions"],
  gcp: ["gcp", "GcpPlatformArgs"],
  kvm: ["kvm", "KvmPlatformArgs"],
} as const;

/**
 * Options whose objects are not minos' to close: other components and
 * providers (`platform`, `cluster`), the user's own maps of names to
 * strings (`tags`, `labels`, `sysctls`, `hashes`), and what is handed to
 * another program's own schema (`extraIgnition`, `configPatches`,
 * `extraSettings`, each checked by its consumer's rules elsewhere).
 */
const OPEN = new Set([
  "platform",
  "cluster",
  "provider",
  "tags",
  "labels",
  "sysctls",
  "hashes",
  "extraIgnition",
  "configPatches",
  "extraSettings",
]);

/**
 * Every path to an object in each argument type, read from the sources
 * with the TypeScript compiler: `nodePools.<key>.rollout`,
 * `controlPlane.taints[0]`. A map's key is `<key>`, a list's item `[0]`.
 */
export function optionPaths(root: string): Record<keyof typeof OPTION_TYPES, string[]> {
  const entry = join(root, "test/support", `.option-paths-${process.pid}.ts`);
  writeFileSync(
    entry,
    Object.entries(OPTION_TYPES)
      .map(
        ([, [pkg, type]]) => `import type { ${type} } from "../../packages/${pkg}/src/index.js";`,
      )
      .join("\n") +
      `\nexport interface Walk { ${Object.entries(OPTION_TYPES)
        .map(([key, [, type]]) => `${key}: ${type};`)
        .join(" ")} }\n`,
  );
  try {
    const program = ts.createProgram([entry], {
      strict: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      noEmit: true,
    });
    const checker = program.getTypeChecker();
    let walkType: ts.Type | undefined;
    const source = program.getSourceFile(entry);
    if (!source) throw new Error("option walk: no entry");
    ts.forEachChild(source, (n) => {
      if (ts.isInterfaceDeclaration(n)) walkType = checker.getTypeAtLocation(n);
    });
    const objects = (t: ts.Type) =>
      (t.isUnion() ? t.types : [t]).filter(
        (m) =>
          (m.flags & ts.TypeFlags.Object) !== 0 &&
          !checker.isArrayType(m) &&
          m.getCallSignatures().length === 0,
      );
    const walk = (t: ts.Type, path: string, out: Set<string>) => {
      for (const prop of checker.getPropertiesOfType(t)) {
        const name = prop.getName();
        if (OPEN.has(name)) continue;
        const type = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
        const at = path ? `${path}.${name}` : name;
        for (const member of type.isUnion() ? type.types : [type]) {
          if (checker.isArrayType(member)) {
            const item = checker.getTypeArguments(member as ts.TypeReference)[0];
            for (const o of item ? objects(item) : []) {
              out.add(`${at}[0]`);
              walk(o, `${at}[0]`, out);
            }
            continue;
          }
          for (const o of objects(member)) {
            const index = checker.getIndexInfoOfType(o, ts.IndexKind.String);
            if (index && checker.getPropertiesOfType(o).length === 0) {
              for (const v of objects(index.type)) {
                out.add(`${at}.<key>`);
                walk(v, `${at}.<key>`, out);
              }
            } else {
              out.add(at);
              walk(o, at, out);
            }
          }
        }
      }
    };
    const result = {} as Record<keyof typeof OPTION_TYPES, string[]>;
    for (const prop of checker.getPropertiesOfType(walkType as ts.Type)) {
      const out = new Set<string>();
      walk(checker.getTypeOfSymbol(prop), "", out);
      result[prop.getName() as keyof typeof OPTION_TYPES] = [...out];
    }
    return result;
  } finally {
    rmSync(entry, { force: true });
  }
}
