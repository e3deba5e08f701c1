import { isIPv4, isIPv6 } from "node:net";
import { LibvirtInputError } from "./errors.js";

/** What `validateLibvirtUri` accepts, as its errors say it. */
export const LIBVIRT_URI_ALLOWED =
  "use a libvirt URI for QEMU: qemu:///system or qemu:///session on this host, " +
  "qemu+ssh://[user@]host[:port]/system (or +libssh, +libssh2, +tls, +tcp; qemu://host/system is TLS), " +
  "qemu+unix:///system, or test:///default; parameters only keyfile, known_hosts, known_hosts_verify, " +
  "no_verify, no_tty, pkipath, proxy, mode, socket, sshauth";

/**
 * libvirt's URI shape (https://libvirt.org/uri.html):
 * `driver[+transport]://[user@][host][:port]/path[?parameters]`.
 */
const SHAPE =
  /^(?<driver>[a-z]+)(?:\+(?<transport>[a-z0-9]+))?:\/\/(?:(?<user>[^@/?#]*)@)?(?<host>\[[^\]/?#]*\]|[^:/?#[\]]*)(?::(?<port>[^/?#]*))?(?<path>\/[^?#]*)(?:\?(?<query>[^#]*))?$/;

/** Transports of libvirt's remote driver minos can use; `ext` runs an arbitrary command, so no. */
const TRANSPORTS = new Set(["unix", "ssh", "libssh", "libssh2", "tls", "tcp"]);
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
/** A login name: no leading hyphen (it would reach ssh as an option), nothing to escape. */
const USER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$/;
/** An absolute path on the client, in characters a URI carries unescaped. */
const PATH = /^\/[A-Za-z0-9._~/+-]*$/;

/**
 * libvirt's documented client parameters minos lets through, with the values
 * each takes. Left out on purpose: `command` and `netcat` (programs to run),
 * `name` (a different URI to open on the far side), `tls_priority`.
 */
const PARAMETERS: Record<string, (value: string) => boolean> = {
  keyfile: (v) => PATH.test(v),
  known_hosts: (v) => PATH.test(v),
  pkipath: (v) => PATH.test(v),
  socket: (v) => PATH.test(v),
  known_hosts_verify: (v) => ["normal", "auto", "ignore"].includes(v),
  no_verify: (v) => v === "0" || v === "1",
  no_tty: (v) => v === "0" || v === "1",
  proxy: (v) => ["auto", "netcat", "native"].includes(v),
  mode: (v) => ["auto", "legacy", "direct"].includes(v),
  sshauth: (v) =>
    v.split(",").every((m) => ["agent", "privkey", "password", "keyboard-interactive"].includes(m)),
};

/** A DNS name, dotted IPv4 (a name of digits and dots must be one), or bracketed IPv6 without a zone. */
function validHost(host: string): boolean {
  if (host.startsWith("[")) return /^\[[0-9A-Fa-f:.]+\]$/.test(host) && isIPv6(host.slice(1, -1));
  if (/^[0-9.]+$/.test(host)) return isIPv4(host);
  return DNS_NAME.test(host);
}

/** Why `uri` is refused, or `undefined` when it is a URI minos accepts. */
function problem(uri: unknown): string | undefined {
  if (typeof uri !== "string") return "not a string";
  if (uri.length > 1024) return "longer than 1024 characters";
  const m = SHAPE.exec(uri);
  const g = m?.groups;
  if (!g) return "not of the form driver[+transport]://[user@][host][:port]/path[?parameters]";
  const { driver, transport, user, host = "", port, path, query } = g;
  if (driver === "test") {
    if (transport !== undefined || user !== undefined || host !== "" || port !== undefined)
      return "the test driver is local only";
    if (path !== "/default" || query !== undefined)
      return "the test driver's URI is test:///default";
    return undefined;
  }
  if (driver !== "qemu") return `driver ${JSON.stringify(driver)} is not QEMU's`;
  if (transport !== undefined && !TRANSPORTS.has(transport))
    return `transport ${JSON.stringify(transport)} is not one of ${[...TRANSPORTS].join(", ")}`;
  if (path !== "/system" && path !== "/session") return "the path must be /system or /session";
  if (transport === "unix" && host !== "") return "the unix transport takes no host";
  if (transport !== undefined && transport !== "unix" && host === "")
    return `the ${transport} transport needs a host`;
  if (host !== "" && !validHost(host))
    return `host ${JSON.stringify(host)} is not a DNS name, IPv4 address or [IPv6] address`;
  if (user !== undefined && (host === "" || !USER.test(user)))
    return host === "" ? "a user needs a host" : `user ${JSON.stringify(user)} is not a login name`;
  if (port !== undefined) {
    if (host === "") return "a port needs a host";
    if (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535)
      return `port ${JSON.stringify(port)} is not 1 to 65535`;
  }
  if (query !== undefined) {
    const seen = new Set<string>();
    for (const pair of query.split("&")) {
      const at = pair.indexOf("=");
      const key = at < 0 ? pair : pair.slice(0, at);
      const value = at < 0 ? "" : pair.slice(at + 1);
      const check = Object.hasOwn(PARAMETERS, key) ? PARAMETERS[key] : undefined;
      if (!check) return `parameter ${JSON.stringify(key)} is not one minos passes on`;
      if (seen.has(key)) return `parameter ${key} is given twice`;
      seen.add(key);
      if (!check(value)) return `parameter ${key} has value ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

/**
 * Checks a libvirt connection URI before anything uses it, and returns it.
 * Pure (no I/O, no libvirt needed), so a program or platform can call it
 * while it reads its arguments; the driver calls it again before every
 * `virsh` it runs.
 *
 * Accepted: the QEMU driver, locally (`qemu:///system`, `qemu:///session`,
 * `qemu+unix:///system`) or remotely over `ssh`, `libssh`, `libssh2`, `tls`
 * (also `qemu://host/system`) or `tcp`, with an optional login and port, and
 * a few of libvirt's documented parameters; and `test:///default`, libvirt's
 * mock driver. Refused, with a `LibvirtInputError` naming `uri`, the value
 * and this list: everything else, including the `ext` transport and the
 * `command`/`netcat` parameters (they run programs), host or user names that
 * start with `-` (they would reach ssh as options), and anything with
 * characters a URI would have to escape.
 */
export function validateLibvirtUri(uri: unknown): string {
  const why = problem(uri);
  if (why !== undefined) throw new LibvirtInputError("uri", uri, `${why}; ${LIBVIRT_URI_ALLOWED}`);
  return uri as string;
}

/** Whether a (valid) URI talks to libvirt on this machine, so host paths are this machine's. */
export function isLocalUri(uri: string): boolean {
  const g = SHAPE.exec(uri)?.groups;
  return g !== undefined && (g.host ?? "") === "";
}
