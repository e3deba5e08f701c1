import { stringify } from "yaml";
import { talosKeyPem } from "./machine-config.js";

/** What talosctl needs to reach a cluster as `os:admin`. */
export interface TalosconfigInput {
  context: string;
  /** Where talosctl connects: the endpoint (a load balancer, or the control-plane node). */
  endpoints: string[];
  /** The nodes commands go to by default. */
  nodes: string[];
  caCertPem: string;
  clientCertPem: string;
  /** PKCS#8 PEM of the client's Ed25519 key. */
  clientKeyPem: string;
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

/** A talosconfig (`talosctl --talosconfig`), in the format talosctl writes. */
export function renderTalosconfig(i: TalosconfigInput): string {
  return stringify(
    {
      context: i.context,
      contexts: {
        [i.context]: {
          endpoints: i.endpoints,
          nodes: i.nodes,
          ca: b64(i.caCertPem),
          crt: b64(i.clientCertPem),
          key: b64(talosKeyPem(i.clientKeyPem)),
        },
      },
    },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}
