import { execFile } from 'node:child_process';

/** `ip` and `tc` answer in milliseconds; a command still running after this is stuck. */
export const COMMAND_TIMEOUT_MS = 10_000;

/** A system command failed or timed out: the message names the command line and its stderr. */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(
    readonly commandLine: string,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`\`${commandLine}\` failed: ${stderr || 'no error output'}`, options);
  }
}

/**
 * Runs a command without a shell and resolves with its stdout. `LC_ALL=C` keeps the error
 * texts in the English that `isGone` matches; SIGKILL on timeout because a stuck `ip` does
 * not need a chance to tidy up.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<string> {
  const commandLine = [file, ...args].join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const timedOut = error.killed === true && error.signal === 'SIGKILL';
        const detail = timedOut
          ? `no answer within ${timeoutMs} ms`
          : stderr.trim() || error.message.trim();
        reject(new CommandError(commandLine, detail, { cause: error }));
      },
    );
  });
}

/**
 * True when a failed delete failed only because the thing is already gone, which teardown
 * treats as success (teardown runs again after a crash, and a namespace's deletion takes its
 * veth pair with it). "No such device" is that deletion landing between `ip` finding the
 * link and deleting it: the kernel frees a deleted namespace, and the host end of its veth,
 * later, in a work queue, and later still on a loaded machine.
 */
export function isGone(error: unknown): boolean {
  return (
    error instanceof CommandError &&
    /Cannot find device|No such device|No such file or directory|does not exist|Invalid "netns" value|Cannot open network namespace/i.test(
      error.stderr,
    )
  );
}

/**
 * A command line as a tagged template: the literal text is split into words at whitespace,
 * and an interpolated value joins the word it touches (`${address}/${prefix}` is one word)
 * but is never split itself, so no value is ever re-split or interpreted.
 * `argv\`ip link set dev ${name} up\`` gives ['ip', 'link', 'set', 'dev', name, 'up'].
 */
export function argv(strings: TemplateStringsArray, ...values: (string | number)[]): string[] {
  const words: string[] = [];
  let word: string | null = null;
  strings.forEach((text, i) => {
    for (const piece of text.split(/(\s+)/)) {
      if (/^\s+$/.test(piece)) {
        if (word !== null) words.push(word);
        word = null;
      } else if (piece !== '') {
        word = (word ?? '') + piece;
      }
    }
    if (i < values.length) word = (word ?? '') + String(values[i]);
  });
  if (word !== null) words.push(word);
  return words;
}

/** Runs a command line built with `argv`. */
export function run(
  commandLine: readonly string[],
  timeoutMs = COMMAND_TIMEOUT_MS,
): Promise<string> {
  return runCommand(commandLine[0], commandLine.slice(1), timeoutMs);
}
