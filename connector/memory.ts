/**
 * What holds the connector's memory, for the once-a-minute summary line: the process's resident size, V8's heap by
 * space (the young generation is sized by V8 up to its limit; the old one holds the replay window and compiled
 * state), memory outside the heap (socket and TLS buffers), and the request ids held against replay.
 */
import { getHeapSpaceStatistics } from 'node:v8';

const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;

export function memoryReport(replayIds: number): Record<string, number> {
  const u = process.memoryUsage();
  const space = new Map(getHeapSpaceStatistics().map((s) => [s.space_name, s]));
  const committed = (name: string) => mb(space.get(name)?.physical_space_size ?? 0);
  return {
    rssMb: mb(u.rss),
    heapUsedMb: mb(u.heapUsed),
    heapCommittedMb: mb(u.heapTotal),
    newSpaceMb: committed('new_space'),
    oldSpaceMb: committed('old_space'),
    codeSpaceMb: committed('code_space'),
    largeObjectsMb: committed('large_object_space'),
    externalMb: mb(u.external),
    replayIds,
  };
}
