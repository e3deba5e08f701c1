import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The TypeScript version `@pulumi/pulumi` ships for when none is installed beside it. */
export const VENDORED_TS_VERSION = "3.8.3";

/** The parts of the TypeScript API this check uses, as 3.8.3 has them. */
export interface ParserApi {
  version: string;
  ScriptTarget: { Latest: number };
  ScriptKind: { JS: number; TS: number };
  createSourceFile(
    name: string,
    text: string,
    target: number,
    setParents: boolean,
    kind: number,
  ): {
    parseDiagnostics: readonly { start?: number; messageText: string | { messageText: string } }[];
    getLineAndCharacterOfPosition(pos: number): { line: number; character: number };
  };
}

/**
 * The folder of the `@pulumi/pulumi` a module at `from` (a file URL or path)
 * resolves, found as Node finds it (`require.resolve("@pulumi/pulumi")`).
 */
export function pulumiFolder(from: string): string {
  return dirname(createRequire(from).resolve("@pulumi/pulumi"));
}

/**
 * The copy of TypeScript inside `@pulumi/pulumi` (`vendor/typescript@3.8.3`),
 * which its `typescript-shim` loads to parse every function it serializes
 * when `require("typescript")` fails from its own folder: a program that
 * lists no `typescript`.
 */
export function vendoredTypeScriptPath(pulumiDir: string): string {
  return join(pulumiDir, "vendor", `typescript@${VENDORED_TS_VERSION}`, "typescript.js");
}

/** That vendored TypeScript, loaded by path. */
export function vendoredTypeScript(pulumiDir: string): ParserApi {
  return createRequire(join(pulumiDir, "package.json"))(vendoredTypeScriptPath(pulumiDir));
}

/**
 * Every syntax error `ts` reports in `text`, as `name:line:column message (line)`.
 * Parsed twice: as TypeScript, which is how Pulumi's closure serializer
 * parses a function's text (`ScriptKind.TS`), and as JavaScript.
 */
export function parseProblems(
  ts: ParserApi,
  name: string,
  text: string,
  kinds: "ts and js" | "ts" = "ts and js",
): string[] {
  const problems = new Set<string>();
  const lines = text.split("\n");
  for (const kind of kinds === "ts" ? [ts.ScriptKind.TS] : [ts.ScriptKind.TS, ts.ScriptKind.JS]) {
    const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, kind);
    for (const d of file.parseDiagnostics) {
      const { line, character } = file.getLineAndCharacterOfPosition(d.start ?? 0);
      const message = typeof d.messageText === "string" ? d.messageText : d.messageText.messageText;
      const source = lines[line]?.trim().slice(0, 80);
      problems.add(`${name}:${line + 1}:${character + 1} ${message} (${source})`);
    }
  }
  return [...problems];
}

/** The ts-node `@pulumi/pulumi` registers a TypeScript program with when none is installed. */
export function vendoredTsNodePath(pulumiDir: string): string {
  return join(pulumiDir, "vendor", "ts-node@7.0.1");
}
