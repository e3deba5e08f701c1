import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "node:https";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterEach, beforeAll } from "vitest";
import type { Pem } from "./tls.js";
import { testCa } from "./tls.js";

/** A request as an mTLS stand-in saw it: its path, and its client certificate's CN. */
export interface SeenRequest {
  path: string;
  client: string;
}

/**
 * An HTTPS server on a local port (a free one unless given) that takes only
 * clients with a certificate from `caCert`, as a kube-apiserver does, and
 * records who asked for what before `handle` answers.
 */
export async function mtlsServer(
  caCert: string,
  serving: Pem,
  handle: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest[]) => void,
  port = 0,
): Promise<{ server: Server; endpoint: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = createServer(
    {
      cert: serving.cert,
      key: serving.key,
      ca: caCert,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push({ path: req.url ?? "", client: peer.subject?.CN as string });
      handle(req, res, seen);
    },
  );
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const bound = (server.address() as AddressInfo).port;
  return { server, endpoint: `https://127.0.0.1:${bound}`, seen };
}

/** Closes a server; closing one already closed is fine. */
export const closeServer = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/**
 * A test file's API-server stand-ins: one test CA with a serving and an
 * `minos-admin` client certificate, made before the file's tests, and every
 * server `serve` starts closed after each test.
 */
export function apiServerFixture() {
  const pems = {} as { ca: Awaited<ReturnType<typeof testCa>>; serving: Pem; admin: Pem };
  let servers: Server[] = [];
  beforeAll(async () => {
    pems.ca = await testCa();
    pems.serving = await pems.ca.server();
    pems.admin = await pems.ca.client();
  });
  afterEach(async () => {
    await Promise.all(servers.map(closeServer));
    servers = [];
  });
  return {
    get ca() {
      return pems.ca;
    },
    get admin() {
      return pems.admin;
    },
    /** A client's credentials for `endpoint`, as the providers take them. */
    as: (endpoint: string) => ({
      endpoint,
      caCertPem: pems.ca.cert,
      clientCertPem: pems.admin.cert,
      clientKeyPem: pems.admin.key,
    }),
    /** `mtlsServer` with the file's CA and serving certificate. */
    async serve(
      handle: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest[]) => void,
      port = 0,
    ) {
      const api = await mtlsServer(pems.ca.cert, pems.serving, handle, port);
      servers.push(api.server);
      return api;
    },
  };
}
