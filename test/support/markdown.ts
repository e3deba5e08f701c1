import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** Folders that hold no docs of the project's own. */
const SKIPPED = new Set(["node_modules", ".git", "dist", ".changeset", "coverage"]);

/** Every `*.md` under `root` (repo-relative paths), outside installed and built folders. */
export function markdownFiles(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith(".serialized-")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(root, path));
    else if (entry.name.endsWith(".md")) found.push(relative(root, path));
  }
  return found.sort();
}

/** The text with fenced code blocks blanked (line numbers kept), so their contents are not read as links. */
export function withoutFences(text: string): string {
  let fenced = false;
  return text
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return "";
      }
      return fenced ? "" : line;
    })
    .join("\n");
}

/** One inline link or image: its target and the line it is on. */
export interface MarkdownLink {
  target: string;
  line: number;
}

/** Inline links `[text](target)` outside code: fenced blocks and `inline code` are not links. */
export function links(text: string): MarkdownLink[] {
  const found: MarkdownLink[] = [];
  withoutFences(text)
    .split("\n")
    .forEach((raw, i) => {
      const line = raw.replace(/`[^`]*`/g, "``");
      for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g))
        found.push({ target: m[1] as string, line: i + 1 });
    });
  return found;
}

/** What a heading's text renders as: links become their text, inline-code ticks and emphasis go. */
function headingText(heading: string): string {
  return heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/`|\*\*|__/g, "");
}

/**
 * The anchors GitHub gives a file's headings (github-slugger's rules):
 * lowercase, everything but letters, digits, marks, `_`, `-` and spaces
 * dropped, spaces become `-`; a repeated slug gets `-1`, `-2`, ….
 */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(text).split("\n")) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = headingText(m[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The folders a backticked repo path may start with. */
const REPO_ROOTS = ["packages/", "test/", "examples/", "scripts/", "docs/", ".ci/"];

/**
 * Inline code that names a repository path (`packages/core/src/…`,
 * `docs/security.md`): one token, no placeholders or globs.
 */
export function repoPaths(text: string): MarkdownLink[] {
  const found: MarkdownLink[] = [];
  withoutFences(text)
    .split("\n")
    .forEach((line, i) => {
      for (const m of line.matchAll(/`([^`\s]+)`/g)) {
        const path = m[1] as string;
        if (!REPO_ROOTS.some((root) => path.startsWith(root))) continue;
        if (/[<>*{}…$]|\.\.\./.test(path)) continue;
        found.push({ target: path.replace(/[.,:;]$/, ""), line: i + 1 });
      }
    });
  return found;
}
