/**
 * In-memory repository (ports.ts `Repository`): one Map per table of model.ts `TABLE_OF`.
 *
 * `RecordTables` holds the committed records and is shared with the Dexie repository, which keeps
 * its loaded records here and applies a change set only after IndexedDB committed it. Reads are
 * synchronous. `list` returns id order (trail: `seq` order), cached until the table changes.
 *
 * Dev builds freeze records as they enter the tables (tldraw's devFreeze, STYLE §5), so a caller
 * that mutates a record it read fails loudly. Uint8Array fields are left alone: freezing a typed
 * array with elements throws. Nothing is validated here: validation happens at trust boundaries
 * (loading, importing), and change sets come from the service.
 */
import { assert } from '../errors';
import { TABLE_OF, type AnyRecord, type RecordOf, type TableName, type TypeName } from '../model';
import type { ChangeSet, Repository } from '../ports';
import { isBytes } from './schema/check';

/** True in dev and test builds (Vite's `import.meta.env.DEV`); false in production and plain Node. */
const IS_DEV: boolean = import.meta.env?.DEV === true;

/** Freezes a record and the plain objects and arrays inside it (not typed arrays). */
function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || isBytes(v) || Object.isFrozen(v)) return v;
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  return Object.freeze(v);
}

/** The table of a record type; asserts the type exists (change sets may come from untyped code). */
export function tableOf(typeName: TypeName): TableName {
  assert(Object.hasOwn(TABLE_OF, typeName), 'unknown record type in change set');
  return TABLE_OF[typeName];
}

function byId(a: AnyRecord, b: AnyRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function bySeq(a: AnyRecord, b: AnyRecord): number {
  return (a as RecordOf<'trailEvent'>).seq - (b as RecordOf<'trailEvent'>).seq;
}

/** Committed records, one Map per table; the state both repositories read from. */
export class RecordTables {
  private readonly tables = new Map<TableName, Map<string, AnyRecord>>();
  /** The same maps by record type (a record type names its table once: no per-access lookups). */
  private readonly byType = new Map<TypeName, Map<string, AnyRecord>>();
  private readonly sorted = new Map<TableName, readonly AnyRecord[]>();

  /** Starts with `records` (a later record with the same type and id wins). */
  constructor(records: Iterable<AnyRecord> = []) {
    for (const t of Object.values(TABLE_OF)) this.tables.set(t, new Map());
    for (const [type, t] of Object.entries(TABLE_OF) as [TypeName, TableName][]) this.byType.set(type, this.tables.get(t)!);
    for (const r of records) this.put(r);
  }

  private table(typeName: TypeName): Map<string, AnyRecord> {
    return this.byType.get(typeName) ?? this.tables.get(tableOf(typeName))!;
  }

  private put(r: AnyRecord): void {
    this.table(r.typeName).set(r.id, IS_DEV ? deepFreeze(r) : r);
    this.sorted.delete(TABLE_OF[r.typeName]);
  }

  /** The record of a type by id. */
  get<T extends TypeName>(typeName: T, id: string): RecordOf<T> | undefined {
    return this.table(typeName).get(id) as RecordOf<T> | undefined;
  }

  /** All records of a type, in id order (trail: in `seq` order). */
  list<T extends TypeName>(typeName: T): readonly RecordOf<T>[] {
    const name = tableOf(typeName);
    let list = this.sorted.get(name);
    if (list === undefined) {
      const sorted = [...this.tables.get(name)!.values()].sort(typeName === 'trailEvent' ? bySeq : byId);
      list = IS_DEV ? Object.freeze(sorted) : sorted;
      this.sorted.set(name, list);
    }
    return list as readonly RecordOf<T>[];
  }

  /** Every record, table by table in TABLE_OF order. */
  all(): AnyRecord[] {
    return (Object.keys(TABLE_OF) as TypeName[]).flatMap((t) => [...this.list(t)]);
  }

  /**
   * Asserts a change set can be applied: known record types, and no record both put and
   * deleted (a contradiction is a bug in the caller). Run before writing anywhere.
   */
  check(changes: ChangeSet): void {
    if (changes.deletes.length === 0) {
      // Nothing can contradict a put: only the record types need checking.
      for (const r of changes.puts) if (!this.byType.has(r.typeName)) tableOf(r.typeName);
      return;
    }
    const puts = new Set<string>();
    for (const r of changes.puts) {
      tableOf(r.typeName);
      puts.add(`${r.typeName}\u0000${r.id}`);
    }
    for (const d of changes.deletes) {
      tableOf(d.typeName);
      assert(!puts.has(`${d.typeName}\u0000${d.id}`), 'a change set both puts and deletes one record');
    }
  }

  /** Applies every put (a later put of the same id wins) and delete. Checks first, so it is all or nothing. */
  apply(changes: ChangeSet): void {
    this.check(changes);
    for (const r of changes.puts) this.put(r);
    for (const d of changes.deletes) {
      this.table(d.typeName).delete(d.id);
      this.sorted.delete(TABLE_OF[d.typeName]);
    }
  }
}

/** A Repository over `tables`: synchronous reads, and commits applied straight to memory. */
export function repositoryOver(tables: RecordTables, commit: (changes: ChangeSet) => Promise<void>): Repository {
  return {
    get: (typeName, id) => tables.get(typeName, id),
    list: (typeName) => tables.list(typeName),
    commit,
  };
}

/**
 * An in-memory repository (tests, bench, the local endpoint), optionally seeded with `records`
 * (trusted: validate untrusted input with `migrateSnapshot` first). `commit` is trivially atomic:
 * it checks the whole change set before touching anything.
 */
export function createMemoryRepository(records: readonly AnyRecord[] = []): Repository {
  const tables = new RecordTables(records);
  return repositoryOver(tables, async (changes) => tables.apply(changes));
}
