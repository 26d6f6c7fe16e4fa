import { uniformBetween, type RandomSource } from '../core/random.js';
import type { Millis } from '../core/time.js';
import { roleDurationBounds, type SchedulerConfig } from '../config/scheduler-config.js';
import type { Role } from './controller-machine.js';

/** Decides a period controller's roles and how long each lasts. */
export interface RolePlanner {
  initialRole(): Role;
  /** The role that follows `ended`, and for how long. */
  next(ended: Role, memberCount: number): { role: Role; durationMs: Millis };
  /** Duration of the very first role. */
  initialDuration(role: Role, memberCount: number): Millis;
}

/**
 * CPS (thesis 6.3.1.3): random initial role; a duration drawn between a min and max that
 * scale with the cluster size (or a static one); the sensor period that follows a monitor
 * period lasts as long; a sensor period is always followed by a monitor period with a new draw.
 */
export class CpsRolePlanner implements RolePlanner {
  private lastDrawn: Millis = 0;

  constructor(
    private readonly config: SchedulerConfig,
    private readonly random: RandomSource,
  ) {}

  initialRole(): Role {
    return this.random.next() < 0.5 ? 'monitor' : 'sensor';
  }

  initialDuration(_role: Role, memberCount: number): Millis {
    return this.draw(memberCount);
  }

  next(ended: Role, memberCount: number): { role: Role; durationMs: Millis } {
    if (ended === 'monitor') return { role: 'sensor', durationMs: this.lastDrawn };
    return { role: 'monitor', durationMs: this.draw(memberCount) };
  }

  private draw(memberCount: number): Millis {
    const { min, max } = roleDurationBounds(this.config, memberCount);
    // A static duration takes no draw, so it does not shift the rest of the random stream.
    this.lastDrawn = min === max ? min : uniformBetween(this.random, min, max);
    return this.lastDrawn;
  }
}

/**
 * CRS (thesis 6.2): every period t each node draws a number; above the threshold it is a
 * monitor, otherwise a sensor.
 */
export class CrsRolePlanner implements RolePlanner {
  constructor(
    private readonly config: SchedulerConfig,
    private readonly random: RandomSource,
  ) {}

  initialRole(): Role {
    return this.draw();
  }

  initialDuration(): Millis {
    return this.config.crs.periodMs;
  }

  next(): { role: Role; durationMs: Millis } {
    return { role: this.draw(), durationMs: this.config.crs.periodMs };
  }

  private draw(): Role {
    return this.random.next() > this.config.crs.threshold ? 'monitor' : 'sensor';
  }
}
