/**
 * One colour per orchestrator, fixed by name so the same orchestrator has the same
 * colour in every chart and every run (Tableau 10's first hues, distinct for colour-blind
 * readers); any other is grey.
 */
const COLOURS: Readonly<Record<string, string>> = {
  process: '#4e79a7',
  container: '#f28e2b',
  swarm: '#59a14f',
  kubernetes: '#b07aa1',
};

const OTHER_COLOUR = '#9d9d9d';

export const colourOf = (orchestrator: string): string =>
  Object.hasOwn(COLOURS, orchestrator) ? COLOURS[orchestrator] : OTHER_COLOUR;
