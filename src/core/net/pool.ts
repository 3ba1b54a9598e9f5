import { createHash } from 'crypto';
import * as http from 'http';
import type { Duplex } from 'stream';
import type * as tls from 'tls';
import { LruMap } from '../lru';
import { ConnectTarget, openSocket } from './connect';

/**
 * Keep-alive connections, shared by requests that would open the same connection anyway. One
 * http.Agent per connection key (../http.ts uses it for idempotent requests only): scheme, host,
 * port, TLS server name, the proxy (address, credentials, proxyStrictSSL) and the trust identity
 * (hash of the CA list, client certificate and passphrase). A socket verified against one CA list,
 * or authenticated with one client certificate, is never handed to a request configured otherwise.
 *
 * Idle sockets are closed after IDLE_MS (or the server's shorter Keep-Alive: timeout=N) and do not
 * keep the process alive (Node unrefs free sockets). Sockets are opened by connect.ts: the agent
 * takes them through createConnection's callback, asynchronously for a CONNECT tunnel, which Node's
 * Agent supports (Agent.createSocket passes a once() callback to createConnection; checked on Node
 * 20 and 24). Node counts such a socket only once it is connected, so several requests started at
 * the same moment through a proxy may open more than MAX_SOCKETS tunnels; the extras are kept or
 * closed like any other when they become idle.
 */

export const IDLE_MS = 10_000;
/** Concurrent connections per key (host); more requests wait for a free one. */
export const MAX_SOCKETS = 6;
/** Distinct keys kept; the least recently used pool beyond that is closed. */
const MAX_POOLS = 16;

/** A connection target plus the identity of its TLS contexts (net/tls.ts trustId). */
export interface PoolTarget extends ConnectTarget {
  trustId: string;
}

/** Request option through which a request passes its give-up signal to createConnection. */
export const GIVE_UP_OPTION = 'jiraGiveUp';

const neverAborted = new AbortController().signal;

function hash(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 16);
}

/** Everything that decides where and how a socket is opened (proxy credentials only as a hash). */
export function connectionKey(t: PoolTarget): string {
  const p = t.proxy;
  // The proxy's source (setting or variable) too: errors on a connection name where its proxy came from.
  const proxy = p ? `${p.protocol}//${p.host}:${p.port} auth=${p.authorization ? hash(p.authorization) : '-'} strict=${p.strictSSL} from=${p.source}` : 'direct';
  return [t.isHttps ? 'https' : 'http', t.host, t.port, t.servername ?? '', proxy, t.trustId].join('|');
}

export class PooledAgent extends http.Agent {
  /** Closed: sockets still in use are destroyed when their request ends instead of being kept. */
  retired = false;
  /** The last TLS session of a connection of this pool, offered when opening the next one. */
  session: Buffer | undefined;

  constructor(
    readonly key: string,
    private readonly target: PoolTarget,
  ) {
    // timeout: idle sockets in the pool are destroyed after it (Agent's free-socket timeout).
    super({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_MS, scheduling: 'lifo' });
  }

  createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const signal = (options as Record<string, unknown>)[GIVE_UP_OPTION] as AbortSignal | undefined;
    openTracked(this, this.target, signal ?? neverAborted, callback as (err: Error | null, socket?: Duplex) => void);
    return undefined;
  }

  // Typed void in @types/node, but Node reads the result: false destroys the socket instead of pooling it.
  keepSocketAlive(socket: Duplex): boolean {
    if (this.retired) return false;
    return (super.keepSocketAlive(socket) as unknown as boolean) !== false;
  }

  /** Destroy the idle sockets now (after a stale one failed, or when the pool is closed). */
  destroyIdle(): void {
    for (const list of Object.values(this.freeSockets)) for (const s of [...(list ?? [])]) s.destroy();
  }
}

/** Open a socket for `target`, offering and remembering the pool's TLS session. */
function openTracked(pool: PooledAgent | undefined, target: PoolTarget, signal: AbortSignal, callback: (err: Error | null, socket?: Duplex) => void): void {
  openSocket({ ...target, signal, session: target.isHttps ? pool?.session : undefined }, (err, socket) => {
    if (!err && pool && target.isHttps && socket) {
      const s = socket as tls.TLSSocket;
      s.on('session', (session: Buffer) => {
        pool.session = session;
      });
      // After a connection failed, no session is offered (as Node's https.Agent does).
      s.once('close', (hadError: boolean) => {
        if (hadError) pool.session = undefined;
      });
    }
    callback(err, socket);
  });
}

function retire(agent: PooledAgent): void {
  agent.retired = true;
  agent.destroyIdle();
}

/** The pools by connection key; the least recently used beyond MAX_POOLS is closed. */
const pools = new LruMap<string, PooledAgent>(MAX_POOLS, retire);

/** The keep-alive pool of `target` (created on first use). */
export function poolFor(target: PoolTarget): PooledAgent {
  const key = connectionKey(target);
  let agent = pools.get(key);
  if (!agent) {
    agent = new PooledAgent(key, target);
    pools.set(key, agent);
  }
  return agent;
}

/**
 * A connection of its own for one request (non-idempotent methods: see http.ts), closed after the
 * response. It still resumes the TLS session of the pool of the same key, if there is one.
 */
export function openUnpooled(target: PoolTarget, signal: AbortSignal, callback: (err: Error | null, socket?: Duplex) => void): void {
  openTracked(pools.peek(connectionKey(target)), target, signal, callback);
}

/**
 * Close the kept-alive connections: idle ones now, those in use when their request ends. Later
 * requests open new ones. Call it when the application stops (the extension's deactivation).
 */
export function closeIdleConnections(): void {
  for (const agent of pools.values()) retire(agent);
  pools.clear();
}

/** For tests: the pools and their sockets. */
export function poolStats(): Array<{ key: string; free: number; active: number; waiting: number }> {
  const count = (d: NodeJS.ReadOnlyDict<unknown[]>) => Object.values(d).reduce((n, l) => n + (l?.length ?? 0), 0);
  return [...pools.values()].map((a) => ({ key: a.key, free: count(a.freeSockets), active: count(a.sockets), waiting: count(a.requests) }));
}
