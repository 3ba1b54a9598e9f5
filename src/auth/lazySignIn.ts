import type { Prompter } from '../ui/prompter';
import type { SignInController } from '../signin/controller';
import type { SignInDeps } from '../signin/deps';

/**
 * The sign-in controller, loaded on first use (dist/signin.js) with the prompter of the moment:
 * VS Code's quick picks and boxes, or the scripted one tests set (api.testing.setPrompter).
 */
export class LazySignIn {
  private testPrompter: Prompter | undefined;
  private uiPrompter: Prompter | undefined;
  private loading: Promise<SignInController> | undefined;

  constructor(
    private readonly makeDeps: (prompter: Prompter) => SignInDeps,
    private readonly makeUiPrompter: () => Promise<Prompter>,
  ) {}

  setTestPrompter(p: Prompter | undefined): void {
    this.testPrompter = p;
  }

  private async prompter(): Promise<Prompter> {
    if (this.testPrompter) return this.testPrompter;
    this.uiPrompter ??= await this.makeUiPrompter();
    return this.uiPrompter;
  }

  async controller(): Promise<SignInController> {
    this.loading ??= Promise.all([import('../signin/controller'), this.prompter()]).then(([m, ui]) => new m.SignInController(this.makeDeps(ui)));
    const c = await this.loading;
    c.deps.prompter = await this.prompter();
    return c;
  }
}
