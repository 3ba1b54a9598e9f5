// The step counter in the title bar of each box counts the way the user actually goes: the site and
// the method picks (numbered alone, since the rest depends on the method), then the chosen flow's
// own steps, declared as data with the flow. It once read 1/5, 2/5, 2/3 for a personal access token.
import * as assert from 'node:assert/strict';
import { format, setTranslator } from '../../../src/l10n';
import { defaultFlows } from '../../../src/signin/controller';
import { stepCounter } from '../../../src/signin/flows';
import { Emulator, startEmulator } from '../../emulator';
import { choose } from '../support/fakes';
import { makeWorld, World } from '../support/world';

const steps = (w: World) => w.ui.asked.map((a) => a.steps);

describe('sign-in step counter', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  before(() => setTranslator((m, ...a) => format(m, a)));
  afterEach(async () => emulator?.close());

  it('PAT: site 1, method 2, token 3/3', async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-123': 'bob' }, version: '9.12.0' });
    const w = makeWorld();
    w.ui.inputs.push(() => emulator.url, () => 'pat-123');
    w.ui.picks.push(choose(/Personal Access Token/));
    assert.ok(await w.controller.signIn({}, { rethrow: true }));
    assert.deepEqual(steps(w), ['1', '2', '3/3']);
  });

  it('user name and password: site 1, method 2, user 3/4, password 4/4', async () => {
    emulator = await startEmulator({ port: 0, version: '9.12.0' });
    const w = makeWorld();
    w.ui.inputs.push(() => emulator.url, () => 'admin', () => 'admin');
    w.ui.picks.push(choose(/User Name and Password/));
    assert.ok(await w.controller.signIn({}, { rethrow: true }));
    assert.deepEqual(steps(w), ['1', '2', '3/4', '4/4']);
  });

  it('counts from 1 when the site is given: method 1, token 2/2', async () => {
    emulator = await startEmulator({ port: 0, pats: { 'pat-123': 'bob' }, version: '9.12.0' });
    const w = makeWorld();
    w.ui.inputs.push(() => 'pat-123');
    w.ui.picks.push(choose(/Personal Access Token/));
    assert.ok(await w.controller.signIn({ baseUrl: emulator.url }, { rethrow: true }));
    assert.deepEqual(steps(w), ['1', '2/2']);
  });

  it('every flow declares each of its steps once, and a step it did not declare is a programming error', () => {
    for (const f of defaultFlows()) assert.equal(new Set(f.steps).size, f.steps.length, f.id);
    const counter = stepCounter(['token'], 2);
    assert.deepEqual(counter('token'), { step: 3, totalSteps: 3 });
    assert.throws(() => counter('password'), /step password is not one of the flow's steps \(token\)/);
  });
});
