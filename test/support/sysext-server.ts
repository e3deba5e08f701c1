import { createHash, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A local stand-in for the sysext-bakery: serves one made-up image over HTTP. */
export interface SysextServer {
  baseUrl: string;
  file: string;
  bytes: Buffer;
  /** Ignition-style `sha256-<hex>` of the served bytes. */
  hash: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startSysextServer(file: string): Promise<SysextServer> {
  const bytes = randomBytes(64 * 1024);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === `/extensions/${file}`) {
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": bytes.length,
      });
      res.end(bytes);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/extensions`,
    file,
    bytes,
    hash: `sha256-${createHash("sha256").update(bytes).digest("hex")}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
