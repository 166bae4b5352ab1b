/**
 * A fault-injecting HTTP proxy (node:http, 127.0.0.1 only) in front of DynamoDB Local. It fails a share of the
 * requests, in three ways:
 * - `before`: answers 500 InternalServerError (DynamoDB's JSON shape) without forwarding: nothing was applied;
 * - `after`: forwards, waits for DynamoDB's answer, then answers 500 instead: the write WAS applied, the client sees
 *   an error;
 * - `drop`: forwards, waits, then destroys the connection (the client sees a reset): applied, no answer.
 * Decisions are deterministic for a seed: a hash of (seed, request body, how many times that body was seen), so
 * interleaving of concurrent requests does not change which request fails.
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'before' | 'after' | 'drop';

export interface FaultyProxy {
  endpoint: string;
  /** Share of requests failed (0..1); change it between phases. */
  setFailureRate(rate: number): void;
  stats: { requests: number; forwarded: number } & Record<Fault, number>;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string, options: { seed: number; failureRate: number }): Promise<FaultyProxy> {
  const upstream = new URL(target);
  if (upstream.hostname !== '127.0.0.1' && upstream.hostname !== 'localhost') throw new Error(`faulty proxy: only a local target (got ${target})`);
  let rate = options.failureRate;
  const seen = new Map<string, number>();
  const stats = { requests: 0, forwarded: 0, before: 0, after: 0, drop: 0 };

  const decide = (body: Buffer): Fault | null => {
    const digest = createHash('sha256').update(body).digest('hex');
    const nth = (seen.get(digest) ?? 0) + 1;
    seen.set(digest, nth);
    const h = createHash('sha256').update(`${options.seed}|${digest}|${nth}`).digest();
    const u = h.readUInt32BE(0) / 2 ** 32;
    if (u >= rate) return null;
    const kind = h.readUInt8(4) % 3;
    return kind === 0 ? 'before' : kind === 1 ? 'after' : 'drop';
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      stats.requests++;
      const fault = decide(body);
      const fail500 = () => {
        const payload = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error (injected by the test proxy)' });
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'INJECTED', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      };
      if (fault === 'before') {
        stats.before++;
        fail500();
        return;
      }
      const headers = { ...req.headers, host: upstream.host };
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (up) => {
        const answer: Buffer[] = [];
        up.on('data', (c: Buffer) => answer.push(c));
        up.on('end', () => {
          stats.forwarded++;
          if (fault === 'after') {
            stats.after++;
            fail500();
          } else if (fault === 'drop') {
            stats.drop++;
            req.socket.destroy();
          } else {
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(answer));
          }
        });
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setFailureRate: (r) => (rate = r),
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
