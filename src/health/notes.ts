/**
 * Parse notes, bounded: one note per kind however many fields needed the same repair.
 *
 * A note seen once reads as before ("weekday in detail.affectedEntities[0].lastUpdatedTime disagreed …").
 * A kind repeated across entities (3 300 wrong weekdays, 5 600 empty times) becomes ONE note with the count and a
 * few examples, so the stored update item stays far below DynamoDB's 400 KB whatever the entity count.
 */
/** Longest single note, in characters (a raw value quoted in a note can be anything). */
const MAX_NOTE_CHARS = 300;
/** Longest example, and longest aggregated note (summary + count + examples). */
const MAX_EXAMPLE_CHARS = 100;
const MAX_AGGREGATE_CHARS = 3 * MAX_NOTE_CHARS;
/** Examples kept for a repeated kind. */
const NOTE_EXAMPLES = 3;

interface Kind {
  /** The text of the first occurrence (used as is while the kind occurred once). */
  first: string;
  /** What the repeated kind says, e.g. "weekday disagreed with the date in detail.affectedEntities[].lastUpdatedTime". */
  summary: string;
  count: number;
  examples: string[];
}

function bound(text: string, max = MAX_NOTE_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class ParseNotes {
  private readonly kinds = new Map<string, Kind>();

  /** A note that occurs at most once per event (a repeat of the same text is dropped). */
  add(text: string): void {
    this.repeat(text, text, '');
  }

  /**
   * One occurrence of a note that can repeat (one per entity). `kind` groups occurrences, `summary` describes the
   * group, `example` names this occurrence (a field path) for the aggregated note.
   */
  repeat(kind: string, text: string, example: string, summary = kind): void {
    const k = this.kinds.get(kind);
    if (k === undefined) {
      this.kinds.set(kind, { first: bound(text), summary: bound(summary), count: 1, examples: example === '' ? [] : [bound(example, MAX_EXAMPLE_CHARS)] });
      return;
    }
    if (example === '') return; // a plain note said twice is still one note
    k.count++;
    if (k.examples.length < NOTE_EXAMPLES) k.examples.push(bound(example, MAX_EXAMPLE_CHARS));
  }

  /** The notes, in order of first occurrence. */
  list(): string[] {
    return [...this.kinds.values()].map((k) =>
      k.count === 1
        ? k.first
        : bound(`${k.summary}: ${k.count} times (e.g. ${k.examples.join('; ')}${k.count > k.examples.length ? '; …' : ''})`, MAX_AGGREGATE_CHARS),
    );
  }
}
