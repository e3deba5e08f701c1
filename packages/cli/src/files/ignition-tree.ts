import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import { CliError } from "../cli-error.js";

/** An Ignition resource: inline (a data URL) or remote (any other URL). */
interface Resource {
  source?: string;
  compression?: string;
  verification?: { hash?: string };
}

/** The parts of an Ignition 3 config that lay down files, read loosely: extras may add any. */
interface IgnitionTreeConfig {
  ignition?: { version?: string; config?: { replace?: Resource; merge?: Resource[] } };
  passwd?: { users?: { name: string; sshAuthorizedKeys?: string[] }[] };
  storage?: {
    files?: {
      path: string;
      mode?: number;
      contents?: Resource;
      append?: Resource[];
      user?: { name?: string; id?: number };
      group?: { name?: string; id?: number };
    }[];
    directories?: { path: string; mode?: number }[];
    links?: { path: string; target: string; hard?: boolean }[];
  };
  systemd?: {
    units?: {
      name: string;
      enabled?: boolean;
      mask?: boolean;
      contents?: string;
      dropins?: { name: string; contents?: string }[];
    }[];
  };
}

/** What `writeIgnitionTree` wrote, and what it could only list. */
export interface IgnitionTree {
  files: number;
  directories: number;
  links: number;
  units: number;
  enabled: string[];
  disabled: string[];
  masked: string[];
  /** Files whose contents Ignition fetches on first boot: listed, not fetched. */
  remote: string[];
}

/** Ignition's own default modes, and what it gives the parents it creates. */
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;

/** The bytes of an inline resource, as Ignition decodes them; undefined for a remote one. */
export function inlineContents(resource: Resource | undefined): Buffer | undefined {
  const source = resource?.source;
  if (source === undefined) return Buffer.alloc(0);
  if (!source.startsWith("data:")) return undefined;
  const comma = source.indexOf(",");
  const meta = source.slice("data:".length, comma);
  const data = source.slice(comma + 1);
  const bytes = meta.endsWith(";base64") ? Buffer.from(data, "base64") : percentDecoded(data);
  return resource?.compression === "gzip" ? gunzipSync(bytes) : bytes;
}

/** A data URL's plain data as bytes: `%xx` is one byte, whatever text it is part of. */
function percentDecoded(data: string): Buffer {
  const raw = Buffer.from(data, "utf8");
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = raw.subarray(i + 1, i + 3).toString("latin1");
    if (raw[i] === 0x25 && /^[0-9a-f]{2}$/i.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else out.push(raw[i] as number);
  }
  return Buffer.from(out);
}

/**
 * Writes under `dir` what an Ignition config lays down on a node's root, so
 * a person can read it: every file decoded (data URLs, gzip) with its mode,
 * every directory, links (symbolic as given; hard ones to what `dir` holds),
 * each unit's contents and drop-ins under `etc/systemd/system`, masked units
 * as links to /dev/null, enabled and disabled ones in Ignition's preset file.
 * Remote contents are listed, never fetched. `dir` must be missing or empty.
 */
export function writeIgnitionTree(config: IgnitionTreeConfig, dir: string): IgnitionTree {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new CliError(`--files ${dir}: the folder is not empty; name a new or empty one`);
  const root = resolve(dir);
  const at = (path: string) => {
    const full = resolve(root, `.${path.startsWith("/") ? path : `/${path}`}`);
    if (!full.startsWith(`${root}${sep}`))
      throw new CliError(`--files: the config writes ${JSON.stringify(path)}, outside the root`);
    return full;
  };
  const parent = (full: string) => mkdirSync(dirname(full), { recursive: true, mode: DIR_MODE });
  mkdirSync(root, { recursive: true });
  const tree: IgnitionTree = {
    files: 0,
    directories: 0,
    links: 0,
    units: 0,
    enabled: [],
    disabled: [],
    masked: [],
    remote: [],
  };
  const unlinked: string[] = [];
  const owned: string[] = [];
  const storage = config.storage ?? {};

  for (const d of storage.directories ?? []) {
    const full = at(d.path);
    mkdirSync(full, { recursive: true, mode: DIR_MODE });
    chmodSync(full, d.mode ?? DIR_MODE);
    tree.directories++;
  }
  for (const f of storage.files ?? []) {
    const full = at(f.path);
    const parts = [f.contents, ...(f.append ?? [])].map((r) => ({ r, bytes: inlineContents(r) }));
    const remote = parts.filter((p) => p.bytes === undefined);
    for (const { r } of remote)
      tree.remote.push(
        `${f.path} <- ${r?.source}${r?.verification?.hash ? ` (${r.verification.hash})` : ""}`,
      );
    if (remote.length > 0) continue;
    parent(full);
    writeFileSync(full, Buffer.concat(parts.map((p) => p.bytes as Buffer)));
    chmodSync(full, f.mode ?? FILE_MODE);
    if (f.user || f.group)
      owned.push(
        `${f.path}: ${f.user?.name ?? f.user?.id ?? "root"}:${f.group?.name ?? f.group?.id ?? "root"}`,
      );
    tree.files++;
  }
  for (const l of storage.links ?? []) {
    const full = at(l.path);
    parent(full);
    try {
      if (l.hard) linkSync(at(l.target), full);
      else symlinkSync(l.target, full);
      tree.links++;
    } catch {
      unlinked.push(`${l.path} -> ${l.target}${l.hard ? " (hard)" : ""}`);
    }
  }

  const units = join(root, "etc/systemd/system");
  const presets: string[] = [];
  for (const u of config.systemd?.units ?? []) {
    const file = at(`/etc/systemd/system/${u.name}`);
    if (u.contents !== undefined) {
      parent(file);
      writeFileSync(file, u.contents);
      chmodSync(file, FILE_MODE);
      tree.units++;
    }
    for (const d of u.dropins ?? []) {
      if (d.contents === undefined) continue;
      const dropin = at(`/etc/systemd/system/${u.name}.d/${d.name}`);
      parent(dropin);
      writeFileSync(dropin, d.contents);
      chmodSync(dropin, FILE_MODE);
    }
    if (u.mask) {
      tree.masked.push(u.name);
      mkdirSync(units, { recursive: true, mode: DIR_MODE });
      if (!existsSync(file)) symlinkSync("/dev/null", file);
    }
    if (u.enabled === true) tree.enabled.push(u.name);
    if (u.enabled === false) tree.disabled.push(u.name);
    if (u.enabled !== undefined) presets.push(`${u.enabled ? "enable" : "disable"} ${u.name}`);
  }
  if (presets.length > 0) {
    const preset = at("/etc/systemd/system-preset/20-ignition.preset");
    parent(preset);
    // Sorted: Ignition writes them in Go's map order, which changes from run to run.
    writeFileSync(preset, `${presets.sort().join("\n")}\n`);
    chmodSync(preset, FILE_MODE);
  }

  const users = (config.passwd?.users ?? []).map(
    (u) => `${u.name} (${u.sshAuthorizedKeys?.length ?? 0} SSH keys)`,
  );
  const pointer = [config.ignition?.config?.replace, ...(config.ignition?.config?.merge ?? [])]
    .filter((r): r is Resource => r?.source !== undefined)
    .map((r) => r.source as string);
  const section = (title: string, lines: string[]) =>
    lines.length > 0 ? [`${title}:`, ...lines.map((l) => `  ${l}`), ""] : [];
  writeFileSync(
    join(root, "README"),
    [
      `What this Ignition ${config.ignition?.version ?? ""} config lays down on a node's root, decoded by minos render --files.`,
      `${tree.files} files, ${tree.directories} directories, ${tree.links} links, ${tree.units} units.`,
      "",
      ...section("Enabled units", tree.enabled),
      ...section("Disabled units", tree.disabled),
      ...section("Masked units (linked to /dev/null)", tree.masked),
      ...section("Fetched by Ignition on first boot (not written here)", tree.remote),
      ...section("Links not made here", unlinked),
      ...section("Owners other than root (not set here)", owned),
      ...section("Users (SSH keys written by Ignition in their homes, not here)", users),
      ...section("Configs Ignition fetches and applies (not here)", pointer),
    ].join("\n"),
  );
  return tree;
}

/** One line for stderr: what `--files` wrote. */
export function treeSummary(dir: string, tree: IgnitionTree): string {
  const list = (label: string, names: string[]) =>
    names.length > 0 ? `; ${label} ${names.join(", ")}` : "";
  return `minos: wrote ${tree.files} files, ${tree.directories} directories, ${tree.links} links and ${tree.units} units under ${dir}${list("enabled", tree.enabled)}${list("disabled", tree.disabled)}${list("masked", tree.masked)}${tree.remote.length > 0 ? `; ${tree.remote.length} fetched on first boot, listed in ${join(dir, "README")}` : ""}`;
}
