/**
 * The part of Ignition config spec 3.3.0 minos writes, as JSON. Spec 3.3.0 is
 * read by every Flatcar channel (LTS included) and by Fedora CoreOS.
 * https://coreos.github.io/ignition/configuration-v3_3/
 */
export const IGNITION_VERSION = "3.3.0";

/** A resource Ignition fetches or decodes: a data URL or a remote URL. */
export interface IgnitionResource {
  source: string;
  compression?: "gzip";
  /** `sha256-<hex>` or `sha512-<hex>`: Ignition refuses content that differs. */
  verification?: { hash: string };
}

export interface IgnitionFile {
  path: string;
  mode?: number;
  overwrite?: boolean;
  user?: { name: string };
  group?: { name: string };
  contents: IgnitionResource;
}

export interface IgnitionDirectory {
  path: string;
  mode?: number;
}

export interface IgnitionLink {
  path: string;
  target: string;
  hard?: boolean;
  overwrite?: boolean;
}

export interface IgnitionDropin {
  name: string;
  contents: string;
}

export interface IgnitionUnit {
  name: string;
  enabled?: boolean;
  mask?: boolean;
  contents?: string;
  dropins?: IgnitionDropin[];
}

export interface IgnitionUser {
  name: string;
  sshAuthorizedKeys?: string[];
  groups?: string[];
}

/** A whole Ignition config. Unknown sections from user fragments pass through. */
export interface IgnitionConfig {
  ignition: { version: string; [key: string]: unknown };
  passwd?: { users?: IgnitionUser[]; [key: string]: unknown };
  storage?: {
    files?: IgnitionFile[];
    directories?: IgnitionDirectory[];
    links?: IgnitionLink[];
    [key: string]: unknown;
  };
  systemd?: { units?: IgnitionUnit[] };
  [key: string]: unknown;
}
