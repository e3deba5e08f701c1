import { isIPv6 } from "node:net";

/** `host:port`, with an IPv6 literal in brackets as URLs and dial strings need it (RFC 3986). */
export function hostPort(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/** The API server's URL for an endpoint: `https://host:port`, IPv6 bracketed. */
export function endpointUrl(endpoint: { host: string; port: number }): string {
  return `https://${hostPort(endpoint.host, endpoint.port)}`;
}
