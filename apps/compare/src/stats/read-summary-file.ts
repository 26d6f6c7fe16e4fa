import { readFileSync } from 'node:fs';
import { UsageError } from '@meshmon/service-runtime/errors/usage-error.js';
import { parseSummaryFile, type GroupSummary } from '@meshmon/stats';

/**
 * The groups of a summary file. A file that cannot be read or parsed is a usage error on
 * --summary; content that breaks a rule is the library's StatsInputError, naming the field.
 */
export function readSummaryFile(path: string): GroupSummary[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError('--summary', `cannot be read: ${path} (${code})`);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new UsageError('--summary', `is not valid JSON: ${path} (${(error as Error).message})`);
  }
  return parseSummaryFile(content);
}
