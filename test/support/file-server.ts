import { createHash } from "node:crypto";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A local HTTP server for a fixed tree of files, recording what was asked. */
export interface FileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `files` by exact path (`/kubernetes-cri-o-1.34/SHA256SUMS`); anything else is a 404. */
export async function startFileServer(files: Record<string, Buffer | string>): Promise<FileServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const body = files[req.url ?? ""];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A SHA256SUMS manifest as `sha256sum` writes it: hash, two spaces, name. */
export function sha256sums(files: Record<string, Buffer>): string {
  return Object.entries(files)
    .map(([name, bytes]) => `${createHash("sha256").update(bytes).digest("hex")}  ${name}\n`)
    .join("");
}
