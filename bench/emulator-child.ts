/**
 * The Jira emulator in its own process (bench/lib/emulator.ts forks it), so that its 10 000 issues
 * and its request handling stay out of the heap and the event loop the benchmarks measure.
 * IPC: it sends { url } once listening; answers { cmd: 'requests' } with the request log since the
 * last { cmd: 'mark' }; exits on { cmd: 'close' }.
 */
import { startEmulator } from '../test/emulator';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] || '{}');
  const emulator = await startEmulator({ port: 0, ...options });
  let mark = 0;
  process.on('message', async (m: { cmd: string; id?: number }) => {
    if (m.cmd === 'mark') {
      mark = emulator.requests.length;
      process.send!({ id: m.id, mark });
    } else if (m.cmd === 'requests') {
      process.send!({ id: m.id, requests: emulator.requests.slice(mark) });
    } else if (m.cmd === 'close') {
      await emulator.close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ url: emulator.url });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
