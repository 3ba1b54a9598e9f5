import { format, setTranslator } from '../../../src/l10n';
import { Emulator, EmulatorOptions, startEmulator } from '../../emulator';

/** The Jira of the current test; `restart()` replaces it with a fresh one inside a test. */
export interface JiraPerTest {
  readonly emulator: Emulator;
  restart(): Promise<void>;
}

/**
 * A fresh emulator for every test of the calling describe() (sign-in tests leave links, tokens and
 * request tokens behind in it), with messages formatted in English as the adapters would.
 */
export function jiraPerTest(options: Omit<EmulatorOptions, 'port'> = {}): JiraPerTest {
  let current: Emulator | undefined;
  before(() => setTranslator((m, ...a) => format(m, a)));
  beforeEach(async () => {
    current = await startEmulator({ port: 0, ...options });
  });
  afterEach(async () => current?.close());
  return {
    get emulator(): Emulator {
      if (!current) throw new Error('jiraPerTest: the emulator is only there inside a test');
      return current;
    },
    async restart() {
      await current?.close();
      current = await startEmulator({ port: 0, ...options });
    },
  };
}
