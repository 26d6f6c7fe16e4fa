import type { Address } from '../core/address.js';
import type { Effect, ProbeOrder, SchedulerEvent } from '../core/effects.js';
import type { SchedulerMessage } from '../core/messages.js';

/** Test helpers: pick apart the effects a machine returned. */
export type Sent<T extends SchedulerMessage['type']> = {
  to: Address;
  message: Extract<SchedulerMessage, { type: T }>;
};

export function sentOf<T extends SchedulerMessage['type']>(
  effects: readonly Effect[],
  type: T,
): Sent<T>[] {
  const result: Sent<T>[] = [];
  for (const effect of effects) {
    if (effect.kind === 'send' && effect.message.type === type) {
      result.push({
        to: effect.to,
        message: effect.message as Extract<SchedulerMessage, { type: T }>,
      });
    }
  }
  return result;
}

export function eventsOf(effects: readonly Effect[]): SchedulerEvent[] {
  return effects.flatMap((effect) => (effect.kind === 'event' ? [effect.event] : []));
}

export function probesOf(effects: readonly Effect[]): ProbeOrder[] {
  return effects.flatMap((effect) => (effect.kind === 'probe-start' ? [effect.probe] : []));
}
