import type { SchedulerMessage } from '@meshmon/scheduling';

interface Waiting {
  readonly resolve: (answer: Uint8Array | undefined) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Slot requests that arrived as NATS requests and wait for the machine's answer. CPS
 * sensors answer only after their listening period, so the answer may come from a later
 * wake-up; once the requester has stopped waiting, the answer goes out as an ordinary
 * message instead, so a late grant still reaches the monitor, which releases it.
 */
export class PendingReplies {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly maxWaitMs: number) {}

  wait(requestId: string): Promise<Uint8Array | undefined> {
    // A re-sent request replaces the earlier copy: that one gets no answer (and no timer).
    this.settle(requestId, undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(requestId, undefined), this.maxWaitMs);
      this.waiting.set(requestId, { resolve, timer });
    });
  }

  /** Hands the answer to a waiting request; false when nobody waits for it any more. */
  answer(message: SchedulerMessage, encoded: () => Uint8Array): boolean {
    if (message.type !== 'slot-grant' && message.type !== 'slot-deny') return false;
    if (!this.waiting.has(message.requestId)) return false;
    this.settle(message.requestId, encoded());
    return true;
  }

  clear(): void {
    for (const requestId of [...this.waiting.keys()]) this.settle(requestId, undefined);
  }

  /** Answers one waiting request now (undefined: no answer, the requester times out). */
  settle(requestId: string, answer: Uint8Array | undefined): void {
    const entry = this.waiting.get(requestId);
    if (!entry) return;
    this.waiting.delete(requestId);
    clearTimeout(entry.timer);
    entry.resolve(answer);
  }
}
