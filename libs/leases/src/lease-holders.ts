/**
 * Who holds a lease, as written into it. The sensor tells a scheduled measurement (which
 * also needs its machine's grant) from a manual one (which only needs the lease) by this
 * name, so both ends build it here. Measurement ids are tokens without `/`.
 */
export const scheduledLeaseHolder = (monitor: string, measurementId: string): string =>
  `${monitor}/monitor/${measurementId}`;

export const manualLeaseHolder = (monitor: string, measurementId: string): string =>
  `${monitor}/manual/${measurementId}`;
