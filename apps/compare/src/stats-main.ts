// `npm run stats -- anova --summary <file.json> [--json]`. Written to stdout and stderr
// directly: the lint rule against console holds in apps/compare (its tests read the
// output by spawning the command, as a user would run it).
import { runStatsCommand } from './stats/run-stats-command.js';

process.exitCode = runStatsCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
