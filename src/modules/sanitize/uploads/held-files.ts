/**
 * Rebuilt files just kept, held in memory until the forwarder takes them, so that it need not
 * read them back from the database: a 1 MB photo read back came as 2 MB of hex, ~6 ms of the
 * zone's and the database's CPU. Only an optimisation: a file not held (another process kept
 * it, the zone restarted, the bound was reached) is read from the database as before.
 */
export class HeldFiles {
  // In the order kept: when full, the oldest go first (one another process forwarded, say).
  private readonly files = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  keep(uploadId: string, content: Uint8Array): void {
    if (content.length > this.maxBytes) return;
    for (const [oldest, held] of this.files) {
      if (this.bytes + content.length <= this.maxBytes) break;
      this.files.delete(oldest);
      this.bytes -= held.length;
    }
    this.files.set(uploadId, content);
    this.bytes += content.length;
  }

  /** The file, which is no longer held; undefined if it was not. */
  take(uploadId: string): Uint8Array | undefined {
    const content = this.files.get(uploadId);
    if (content) {
      this.files.delete(uploadId);
      this.bytes -= content.length;
    }
    return content;
  }

  get heldBytes(): number {
    return this.bytes;
  }
}
