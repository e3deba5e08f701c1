import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { Pem } from "./tls.js";

/** A request as an mTLS stand-in saw it: its path, and its client certificate's CN. */
export interface SeenRequest {
  path: string;
  client: string;
}

/**
 * An HTTPS server on a free local port that takes only clients with a
 * certificate from `caCert`, as a kube-apiserver does, and records who asked
 * for what before `handle` answers.
 */
export async function mtlsServer(
  caCert: string,
  serving: Pem,
  handle: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest[]) => void,
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
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `https://127.0.0.1:${port}`, seen };
}
