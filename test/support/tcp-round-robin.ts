import type { AddressInfo, Server, Socket } from "node:net";
import { connect, createServer } from "node:net";

/** A local TCP proxy: its port, and how to stop it with every connection through it. */
export interface TcpProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free local port that pipes each new connection to the
 * local port `pick` names at that moment.
 */
export async function tcpProxy(pick: () => number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(pick(), "127.0.0.1");
    for (const s of [client, upstream]) {
      open.add(s);
      s.on("close", () => open.delete(s));
    }
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A TCP load balancer stand-in and what it did. */
export interface RoundRobin {
  /** `127.0.0.1:<port>` to connect to. */
  address: string;
  /** The backend index each accepted connection went to, in order. */
  connections: number[];
  close(): Promise<void>;
}

/**
 * A TCP proxy that hands each new connection to the next backend port in
 * turn, as a cloud's passthrough load balancer spreads connections over its
 * targets: the client cannot pick one. `ports` is read at each connection,
 * so a test may add a backend (a replaced machine) between runs.
 */
export async function roundRobin(ports: () => readonly number[]): Promise<RoundRobin> {
  const connections: number[] = [];
  let next = 0;
  const proxy = await tcpProxy(() => {
    const backends = ports();
    const index = next++ % backends.length;
    connections.push(index);
    return backends[index] as number;
  });
  return { address: `127.0.0.1:${proxy.port}`, connections, close: proxy.close };
}
