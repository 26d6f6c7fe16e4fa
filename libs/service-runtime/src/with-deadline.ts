/** Rejects with `timeoutError()` if `promise` has not settled within `ms`. */
export async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    // Promise.race subscribes to `promise`, so a rejection after the deadline is still handled.
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
