/**
 * Ends this server when the benchmark driver that started it is gone. The driver gives it a
 * stdin pipe it never writes or closes (`stdio: ['pipe', ...]`), so the end of that input
 * means the driver has exited, even by a crash or SIGKILL, which skip its clean-up: a zone
 * left behind keeps running its background tasks and takes the CPU of the runs after it.
 */
export function exitWithParent(): void {
  process.stdin.on('end', () => process.exit(0)).resume();
}
