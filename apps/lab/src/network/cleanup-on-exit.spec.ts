import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import { ExitCleanup, type CleanupLogger, type ProcessHooks } from './cleanup-on-exit.js';

/** A stand-in for `process`: events are emitted by the test, exit() is recorded. */
class FakeProcess extends EventEmitter implements ProcessHooks {
  readonly exits: number[] = [];
  exitCode: number | undefined = undefined;
  exited: Promise<number>;
  private resolveExit!: (code: number) => void;

  constructor() {
    super();
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  exit(code: number): void {
    this.exits.push(code);
    this.resolveExit(code);
  }
}

describe(ExitCleanup.name, () => {
  let fake: FakeProcess;
  let logger: { [K in keyof CleanupLogger]: jest.Mock<CleanupLogger[K]> };
  let order: string[];
  let sut: ExitCleanup;

  beforeEach(() => {
    fake = new FakeProcess();
    logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    order = [];
    sut = new ExitCleanup(fake, logger, 200);
  });

  function record(name: string): () => Promise<void> {
    return async () => {
      order.push(name);
    };
  }

  it('exit cleanup - SIGINT runs the cleanups newest first, then exits with 130', async () => {
    sut.add('network', record('network'));
    sut.add('services', record('services'));

    fake.emit('SIGINT');

    await expect(fake.exited).resolves.toBe(130);
    expect(order).toEqual(['services', 'network']);
    expect(logger.warn).toHaveBeenCalledWith('SIGINT: cleaning up before exit');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])('exit cleanup - %s exits with %d after the cleanups', async (signal, code) => {
    sut.add('network', record('network'));

    fake.emit(signal);

    await expect(fake.exited).resolves.toBe(code);
    expect(order).toEqual(['network']);
  });

  it('exit cleanup - a second signal while cleaning up does not run anything twice', async () => {
    let release!: () => void;
    sut.add('slow', () =>
      new Promise<void>((resolve) => (release = resolve)).then(() => order.push('slow')),
    );

    fake.emit('SIGINT');
    fake.emit('SIGINT');
    fake.emit('SIGTERM');
    release();

    await expect(fake.exited).resolves.toBe(130);
    expect(order).toEqual(['slow']);
    expect(fake.exits).toEqual([130]);
    expect(logger.warn).toHaveBeenCalledWith('SIGINT again: still cleaning up (at most 0.2 s)');
  });

  it('exit cleanup - a failing cleanup is logged and the next one still runs', async () => {
    sut.add('network', record('network'));
    sut.add('services', () => Promise.reject(new Error('nats is gone')));

    fake.emit('SIGTERM');

    await expect(fake.exited).resolves.toBe(143);
    expect(order).toEqual(['network']);
    expect(logger.error).toHaveBeenCalledWith('cleanup "services" failed: nats is gone');
  });

  it('exit cleanup - a cleanup that hangs is abandoned when the budget runs out, and the process still exits', async () => {
    sut.add('network', record('network'));
    sut.add('hangs', () => new Promise(() => undefined));
    const started = Date.now();

    fake.emit('SIGINT');

    await expect(fake.exited).resolves.toBe(130);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(order).toEqual([]);
    expect(logger.error).toHaveBeenCalledWith(
      'cleanup "hangs" still running when the budget ran out',
    );
    expect(logger.error).toHaveBeenCalledWith('cleanup budget of 200 ms spent; skipped "network"');
  });

  it('exit cleanup - an uncaught exception is logged, cleaned up after, and exits with 1', async () => {
    sut.add('network', record('network'));

    fake.emit('uncaughtException', new Error('boom'));

    await expect(fake.exited).resolves.toBe(1);
    expect(order).toEqual(['network']);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(/^uncaught exception: Error: boom/),
    );
  });

  it('exit cleanup - an unhandled rejection exits with 1 after the cleanups', async () => {
    sut.add('network', record('network'));

    fake.emit('unhandledRejection', 'nope');

    await expect(fake.exited).resolves.toBe(1);
    expect(logger.error).toHaveBeenCalledWith('unhandled rejection: nope');
  });

  it('exit cleanup - the normal end runs the cleanups and keeps the exit code that was set', async () => {
    sut.add('network', record('network'));
    fake.exitCode = 3;

    fake.emit('beforeExit');

    await expect(fake.exited).resolves.toBe(3);
    expect(order).toEqual(['network']);
  });

  it('exit cleanup - an unregistered cleanup does not run; runAll runs the rest once', async () => {
    const remove = sut.add('gone', record('gone'));
    sut.add('kept', record('kept'));
    remove();

    await Promise.all([sut.runAll(), sut.runAll()]);
    await sut.runAll();

    expect(order).toEqual(['kept']);
    expect(fake.exits).toEqual([]);
  });

  it('exit cleanup - exiting removes its listeners from the process', async () => {
    sut.add('network', record('network'));
    expect(fake.listenerCount('SIGINT')).toBe(1);

    await sut.exitAfterCleanup(0);

    expect(fake.listenerCount('SIGINT')).toBe(0);
    expect(fake.exits).toEqual([0]);
  });
});
