import { randomUUID } from "node:crypto";
import type { XmlElement } from "./xml.js";
import { fromXml } from "./xml.js";

/**
 * The XML namespace of minos's mark on libvirt objects:
 * `<minos:owner xmlns:minos="https://minos.dev/libvirt/1" id="…"/>` in a
 * domain's or network's `<metadata>`, and the `minos` field of a volume's
 * ownership record (see `volume-records.ts`).
 */
export const OWNER_NAMESPACE = "https://minos.dev/libvirt/1";

/**
 * How minos knows an object is its own. Pulumi hands a dynamic provider's
 * `create` its inputs only, not the resource's URN, so each create draws a
 * random owner id, marks everything it makes with it and keeps it in the
 * resource's state (the `owner` output). Later operations compare the mark
 * on the object with the id in state: an object of the same name that
 * someone else made, or that another minos resource or stack made, never
 * matches, and minos leaves it alone.
 *
 * Domains and networks also get a random `uuid` of minos's choosing: libvirt
 * refuses to define an object whose name exists under another UUID, which
 * makes `define` and `net-define` exclusive even if someone takes the name
 * between minos's check and its define.
 */
export interface ObjectMark {
  /** The owner id, recorded in state as `owner`. */
  owner: string;
  /** The libvirt UUID minos gives the object. */
  uuid: string;
}

/** A fresh mark for one create. */
export function newMark(): ObjectMark {
  return { owner: randomUUID(), uuid: randomUUID() };
}

/** The `<metadata>` element that carries the mark, for the XML builder. */
export function ownerMetadata(owner: string): XmlElement {
  return { "minos:owner": { "@_xmlns:minos": OWNER_NAMESPACE, "@_id": owner } };
}

/** What a domain's or network's XML says about its maker. */
export interface FoundMark {
  /** The minos owner id in its metadata, if any. */
  owner?: string;
  uuid?: string;
}

/**
 * Reads the mark from `virsh dumpxml` / `net-dumpxml` output: a `<metadata>`
 * child named `owner` in minos's namespace, whatever prefix libvirt prints it
 * with.
 */
export function markIn(xml: string): FoundMark {
  const parsed = fromXml<Record<string, { uuid?: unknown; metadata?: unknown } | undefined>>(xml);
  const root = parsed.domain ?? parsed.network;
  const found: FoundMark = {};
  if (typeof root?.uuid === "string") found.uuid = root.uuid;
  const metadata = root?.metadata;
  if (!metadata || typeof metadata !== "object") return found;
  for (const [key, value] of Object.entries(metadata as Record<string, unknown>)) {
    const [prefix, local] = key.includes(":") ? key.split(":", 2) : [undefined, key];
    if (local !== "owner") continue;
    for (const element of Array.isArray(value) ? value : [value]) {
      if (!element || typeof element !== "object") continue;
      const attributes = element as Record<string, unknown>;
      const namespace = attributes[prefix ? `@_xmlns:${prefix}` : "@_xmlns"];
      const id = attributes["@_id"];
      if (namespace === OWNER_NAMESPACE && typeof id === "string" && id !== "") {
        found.owner = id;
        return found;
      }
    }
  }
  return found;
}

/** Why an object is not the one `owner` made, for messages. */
export function notOursBecause(found: string | undefined, owner: string | undefined): string {
  if (found === undefined) return "it carries no minos owner mark";
  if (owner === undefined)
    return `it carries minos owner mark ${found}, and this resource's state records none`;
  return `it carries minos owner mark ${found}, this resource's is ${owner}`;
}

/**
 * An object minos will not touch because it did not make it. `create` throws
 * it for a name that is already taken; `update` for an object that is no
 * longer the one in state.
 */
export class NotOwnedError extends Error {
  override readonly name = "NotOwnedError";
  constructor(
    /** `domain`, `network` or `volume`. */
    readonly kind: string,
    /** Its name (volumes: `<pool>/<volume>`). */
    readonly object: string,
    message: string,
  ) {
    super(message);
  }
}

/** Create's refusal: the name is taken by an object this create did not make. */
export function alreadyExists(
  kind: string,
  object: string,
  uri: string,
  why: string,
): NotOwnedError {
  return new NotOwnedError(
    kind,
    object,
    `minos: ${kind} "${object}" already exists on ${uri} and minos did not make it for this resource (${why}); minos leaves it untouched. Give this resource another name, or remove that ${kind} yourself if you no longer need it.`,
  );
}

/** Update's refusal: the object under this name is not the one in state. */
export function notTheOne(kind: string, object: string, uri: string, why: string): NotOwnedError {
  return new NotOwnedError(
    kind,
    object,
    `minos: ${kind} "${object}" on ${uri} is not the one this resource made (${why}); minos leaves it untouched and changes nothing. If it was replaced behind minos's back, \`pulumi refresh\` drops the old one from the stack.`,
  );
}

/**
 * Throws `notTheOne` unless `found` (what libvirt has under the name) carries
 * the owner mark in state: update acts on its own object only.
 */
export function requireTheOne(
  kind: string,
  object: string,
  uri: string,
  found: { owner?: string } | undefined,
  owner: string | undefined,
): void {
  if (found === undefined || found.owner === undefined || found.owner !== owner)
    throw notTheOne(
      kind,
      object,
      uri,
      found === undefined ? "it does not exist" : notOursBecause(found.owner, owner),
    );
}

/**
 * Delete's answer for an object that is not the one in state: it stays, the
 * resource goes. Deleting it would destroy someone else's object; failing
 * would leave the stack unable to forget one that is already gone.
 */
export function leftAlone(kind: string, object: string, uri: string, why: string): string {
  return `minos: leaving ${kind} "${object}" on ${uri} untouched: it is not the one this resource made (${why}). minos forgets this resource; the ${kind} stays as it is.`;
}
