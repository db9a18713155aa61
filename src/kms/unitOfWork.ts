/**
 * A unit of work over the Repository port: reads see this call's own writes; nothing reaches
 * the repository until `changes()` is committed, in one transaction, by the service. A call
 * that fails is simply dropped, so it leaves nothing half-written (issue 2).
 */
import type { AnyRecord, RecordOf, TypeName } from './model';
import type { ChangeSet, Repository } from './ports';

export class UnitOfWork {
  /**
   * Pending writes per record type, then per id; null marks a delete. `order` keeps each
   * (type, id) in the order it was first written, which is the change set's order.
   */
  private readonly pending = new Map<TypeName, Map<string, AnyRecord | null>>();
  private readonly order: { readonly typeName: TypeName; readonly id: string }[] = [];

  constructor(private readonly repo: Repository) {}

  /** True when nothing was written. */
  get isEmpty(): boolean {
    return this.order.length === 0;
  }

  get<T extends TypeName>(typeName: T, id: string): RecordOf<T> | undefined {
    const p = this.pending.get(typeName)?.get(id);
    if (p !== undefined) return (p ?? undefined) as RecordOf<T> | undefined;
    return this.repo.get(typeName, id);
  }

  /** Committed records overlaid with this unit's writes, in id order. */
  list<T extends TypeName>(typeName: T): RecordOf<T>[] {
    const base = this.repo.list(typeName);
    const mine = this.pending.get(typeName);
    if (mine === undefined) return base.slice();
    const byId = new Map<string, RecordOf<T>>();
    for (const r of base) byId.set(r.id, r);
    for (const [id, record] of mine) {
      if (record) byId.set(id, record as RecordOf<T>);
      else byId.delete(id);
    }
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  put(record: AnyRecord): void {
    this.write(record.typeName, record.id, record);
  }

  delete(typeName: TypeName, id: string): void {
    this.write(typeName, id, null);
  }

  private write(typeName: TypeName, id: string, record: AnyRecord | null): void {
    let mine = this.pending.get(typeName);
    if (mine === undefined) this.pending.set(typeName, (mine = new Map()));
    if (!mine.has(id)) this.order.push({ typeName, id });
    mine.set(id, record);
  }

  /** The change set to commit. */
  changes(): ChangeSet {
    const puts: AnyRecord[] = [];
    const deletes: { typeName: TypeName; id: string }[] = [];
    for (const { typeName, id } of this.order) {
      const record = this.pending.get(typeName)!.get(id)!;
      if (record) puts.push(record);
      else deletes.push({ typeName, id });
    }
    return { puts, deletes };
  }
}
