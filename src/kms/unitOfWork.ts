/**
 * A unit of work over the Repository port: reads see this call's own writes; nothing reaches
 * the repository until `changes()` is committed, in one transaction, by the service. A call
 * that fails is simply dropped, so it leaves nothing half-written (issue 2).
 */
import type { AnyRecord, RecordOf, TypeName } from './model';
import type { ChangeSet, Repository } from './ports';

export class UnitOfWork {
  /** Pending writes per "typeName\0id"; null marks a delete. */
  private readonly pending = new Map<string, { typeName: TypeName; id: string; record: AnyRecord | null }>();

  constructor(private readonly repo: Repository) {}

  get<T extends TypeName>(typeName: T, id: string): RecordOf<T> | undefined {
    const p = this.pending.get(`${typeName}\0${id}`);
    if (p) return (p.record ?? undefined) as RecordOf<T> | undefined;
    return this.repo.get(typeName, id);
  }

  /** Committed records overlaid with this unit's writes, in id order. */
  list<T extends TypeName>(typeName: T): RecordOf<T>[] {
    const base = this.repo.list(typeName);
    let touched = false;
    for (const p of this.pending.values()) if (p.typeName === typeName) touched = true;
    if (!touched) return base.slice();
    const byId = new Map<string, RecordOf<T>>();
    for (const r of base) byId.set(r.id, r);
    for (const p of this.pending.values()) {
      if (p.typeName !== typeName) continue;
      if (p.record) byId.set(p.id, p.record as RecordOf<T>);
      else byId.delete(p.id);
    }
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  put(record: AnyRecord): void {
    this.pending.set(`${record.typeName}\0${record.id}`, { typeName: record.typeName, id: record.id, record });
  }

  delete(typeName: TypeName, id: string): void {
    this.pending.set(`${typeName}\0${id}`, { typeName, id, record: null });
  }

  /** The change set to commit. */
  changes(): ChangeSet {
    const puts: AnyRecord[] = [];
    const deletes: { typeName: TypeName; id: string }[] = [];
    for (const p of this.pending.values()) {
      if (p.record) puts.push(p.record);
      else deletes.push({ typeName: p.typeName, id: p.id });
    }
    return { puts, deletes };
  }
}
