import { argv, CommandError, isGone } from './run-command.js';

describe(argv.name, () => {
  it('argv - splits the literal text at spaces and keeps each value one argument', () => {
    const name = 'odd name; rm -rf /';

    expect(argv`ip link set dev ${name} up`).toEqual(['ip', 'link', 'set', 'dev', name, 'up']);
  });

  it('argv - a value joins the text it touches', () => {
    expect(argv`ip addr add ${'10.0.0.1'}/${24} dev br`).toEqual([
      'ip',
      'addr',
      'add',
      '10.0.0.1/24',
      'dev',
      'br',
    ]);
    expect(argv`ping -c1 x${''}`).toEqual(['ping', '-c1', 'x']);
  });

  it('argv - an empty value standing alone is still an argument', () => {
    expect(argv`sh -c ${''}`).toEqual(['sh', '-c', '']);
  });
});

describe(isGone.name, () => {
  it.each([
    ['Cannot find device "mmab-h2"', true],
    // The namespace's deletion took the veth between `ip` finding it and deleting it.
    ['RTNETLINK answers: No such device', true],
    ['Cannot open network namespace "mmab-n1": No such file or directory', true],
    ['RTNETLINK answers: Operation not permitted', false],
    ['RTNETLINK answers: Device or resource busy', false],
  ])('is gone - a delete that failed with "%s" counts as done: %s', (stderr, gone) => {
    expect(isGone(new CommandError('ip link del dev mmab-h2', stderr))).toBe(gone);
  });

  it('is gone - only a command that ran and failed', () => {
    expect(isGone(new Error('No such device'))).toBe(false);
  });
});
