// Closing a test server at once: Node 18.2+ has server.closeAllConnections(); Node 16 (the extension
// host of VS Code 1.74 to 1.81, where the unit suite also runs: `npm run test:node16`) has not, so
// the server's sockets are tracked from the start and destroyed on close.
import type { Server, Socket } from 'node:net';

/** Starts tracking `server`'s connections; the function returned destroys those still open. */
export function trackConnections(server: Server): () => void {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
}
