import type { MessageType } from './message-type.ts';
import { populationStatisticsRequestV1, populationStatisticsV1 } from './messages/population-statistics.ts';

/**
 * Every message type and version the gateway knows. A message whose type and
 * version are not listed here is refused at both ends. Add new versions beside
 * old ones; remove an old one only when no zone of any deployment still sends it.
 */
export const messageTypes: readonly MessageType[] = [populationStatisticsV1, populationStatisticsRequestV1];

export function findMessageType(
  type: string,
  version: number,
  catalogue: readonly MessageType[] = messageTypes,
): MessageType | undefined {
  return catalogue.find((entry) => entry.type === type && entry.version === version);
}
