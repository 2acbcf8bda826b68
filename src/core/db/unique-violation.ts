/** Whether `error` is PostgreSQL's unique_violation (SQLSTATE 23505): a key that is taken. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
