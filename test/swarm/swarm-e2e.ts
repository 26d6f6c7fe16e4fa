/**
 * The real Docker Swarm deployment, end to end (`npm run test:swarm`): dockerd and a
 * one-node swarm, the images built offline, the host-network stack with three node
 * agents on this machine, every service healthy, CPS started through the gateway, a
 * stored result for every ordered pair in InfluxDB and no conflict among them. The stack,
 * the swarm and the daemon go again at the end, on failure and on SIGINT/SIGTERM too.
 * Prints its figures and one summary line; exit 0 = pass.
 *
 * The checks are the ones `npm run test:k8s` runs on Kubernetes (test/e2e), so every CI
 * run exercises them. A script rather than a jest project: it is one ordered sequence of
 * steps that changes the machine (a package, a daemon, a swarm) and must undo that
 * whatever happens, with steps of minutes; jest would add per-test timeouts and workers,
 * not checks.
 */
import { runE2e } from '../e2e/run-e2e.js';
import { SwarmE2e } from './swarm-orchestrator.js';

await runE2e('swarm-e2e', new SwarmE2e());
