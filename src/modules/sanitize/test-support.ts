/** Test support shared by the sanitizers' tests. */
import { isRefusal, type Rebuilt, type Refusal } from './types.ts';

/** The Refusal `promise` rejects with; anything else (a result, another error) fails the test. */
export async function refusalOf(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    if (isRefusal(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Just its reason, for tests that only compare that. */
export async function refusalReason(promise: Promise<unknown>): Promise<string> {
  return (await refusalOf(promise)).reason;
}

/** What a rebuild removed, as kind → count. */
export const removedKinds = (rebuilt: Rebuilt) =>
  Object.fromEntries(rebuilt.removed.map((r) => [r.kind, r.count]));
