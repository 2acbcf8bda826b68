/**
 * One chunk of accepted rows, already encoded as the CSV that COPY reads, in growable byte
 * buffers outside the JS heap. Why not an array of row objects: rows wait a second or two
 * for their COPY, long enough to be promoted to V8's old generation, and a million promoted
 * row objects (with strings still pointing into the 256 KB read chunks) made the heap swell
 * past 400 MB before a full GC came round. Bytes copied into a Buffer keep nothing alive, and
 * reusing the two chunks' buffers (reset) avoids churning megabytes of ArrayBuffers per chunk,
 * which malloc does not hand back to the system promptly either.
 */
export class ChunkBuffer {
  private persons: Buffer = Buffer.allocUnsafe(1 << 21);
  private personsUsed = 0;
  private residences: Buffer = Buffer.allocUnsafe(1 << 20);
  private residencesUsed = 0;
  private readonly personEnds: number[] = [];
  private readonly residenceEnds: number[] = [];
  /** Per row: its line, household number, whether it is the head, its codes as numbers. */
  readonly lines: number[] = [];
  readonly households: number[] = [];
  readonly heads: boolean[] = [];
  readonly residentCodes: number[] = [];
  readonly myNumbers: number[] = [];
  /** COPY lines of the households whose head is in this chunk. */
  readonly householdLines: string[] = [];
  private readonly householdRows: number[] = [];

  /** Empties the chunk, keeping its buffers: two chunks are reused for a whole import. */
  reset(): void {
    this.personsUsed = 0;
    this.residencesUsed = 0;
    for (const list of [
      this.personEnds,
      this.residenceEnds,
      this.lines,
      this.households,
      this.heads,
      this.residentCodes,
      this.myNumbers,
      this.householdLines,
      this.householdRows,
    ]) {
      list.length = 0;
    }
  }

  get size(): number {
    return this.lines.length;
  }

  add(
    row: { line: number; household: number; head: boolean; residentCode: number; myNumber: number },
    personLine: string,
    residenceLine: string,
    householdLine: string | undefined,
  ): void {
    this.persons = ensure(this.persons, this.personsUsed, personLine.length * 3);
    this.personsUsed += this.persons.write(personLine, this.personsUsed, 'utf8');
    this.personEnds.push(this.personsUsed);
    this.residences = ensure(this.residences, this.residencesUsed, residenceLine.length * 3);
    this.residencesUsed += this.residences.write(residenceLine, this.residencesUsed, 'utf8');
    this.residenceEnds.push(this.residencesUsed);
    if (householdLine !== undefined) {
      this.householdLines.push(householdLine);
      this.householdRows.push(this.lines.length);
    }
    this.lines.push(row.line);
    this.households.push(row.household);
    this.heads.push(row.head);
    this.residentCodes.push(row.residentCode);
    this.myNumbers.push(row.myNumber);
  }

  personsCsv(): Buffer {
    return this.persons.subarray(0, this.personsUsed);
  }

  residencesCsv(): Buffer {
    return this.residences.subarray(0, this.residencesUsed);
  }

  /** A copy of this chunk without the rows numbered in `drop`. */
  without(drop: ReadonlySet<number>): ChunkBuffer {
    const kept = new ChunkBuffer();
    let household = 0;
    for (let i = 0; i < this.size; i++) {
      while (household < this.householdRows.length && this.householdRows[household]! < i) household++;
      if (drop.has(i)) continue;
      const headLine = this.householdRows[household] === i ? this.householdLines[household] : undefined;
      kept.add(
        {
          line: this.lines[i]!,
          household: this.households[i]!,
          head: this.heads[i]!,
          residentCode: this.residentCodes[i]!,
          myNumber: this.myNumbers[i]!,
        },
        this.persons.toString('utf8', i === 0 ? 0 : this.personEnds[i - 1], this.personEnds[i]),
        this.residences.toString('utf8', i === 0 ? 0 : this.residenceEnds[i - 1], this.residenceEnds[i]),
        headLine,
      );
    }
    return kept;
  }
}

function ensure(buffer: Buffer, used: number, more: number): Buffer {
  if (used + more <= buffer.length) return buffer;
  const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, used + more));
  buffer.copy(grown, 0, 0, used);
  return grown;
}
