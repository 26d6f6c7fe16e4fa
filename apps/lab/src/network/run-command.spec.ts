import { argv } from './run-command.js';

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
