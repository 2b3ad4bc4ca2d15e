import { ApiError, errorMessage } from '$lib/api';
import type { FieldMeta, FormViewMeta, ModelMeta, RecordData, RecordEvent } from '@atrium/protocol';
import { emptyValue, isBlank, sameValue, toApiValue } from '$lib/record-values';
import { recordsApi } from '$lib/records-api';
import { formFields, lineColumns } from './form-layout';

type Values = Record<string, unknown>;
/** A line being edited: a record, or a new one with only a client key until it is saved. */
export type Line = Values & { id?: string; _key?: string };

let nextKey = 0;

/**
 * One record in a form: the version the server last gave (`record`), the values being edited, and what
 * went wrong. Saves send only what changed, with `If-Match`; when someone else saved first — seen live
 * or as a 409 — their version is shown and the user's changes are kept aside to re-apply, never
 * written over theirs silently.
 */
export class RecordForm {
  record = $state<RecordData | null>(null);
  values = $state<Values>({});
  status = $state<'loading' | 'ready' | 'missing' | 'error'>('loading');
  loadError = $state<string | null>(null);
  saving = $state(false);
  /** Problems by field path ("name", "lines.0.qty"), and those that name no field on the form. */
  errors = $state<Record<string, string>>({});
  formErrors = $state<string[]>([]);
  conflict = $state<{ mine: Values; source: 'live' | 'save' } | null>(null);
  deletedElsewhere = $state(false);
  /** Moves on every change of the saved record, so the history reloads. */
  revision = $state(0);

  readonly fieldNames: string[];
  /** The fields edited and not saved. */
  readonly changed: string[];
  readonly dirty: boolean;
  private pendingEvent: RecordEvent | null = null;

  constructor(
    readonly modelId: string,
    readonly model: ModelMeta,
    readonly view: FormViewMeta,
    readonly models: Record<string, ModelMeta>,
    public id: string | null,
    private readonly writable: (field: string, record: RecordData | null) => boolean,
  ) {
    this.fieldNames = formFields(view).filter((f) => model.fields[f]);
    this.changed = $derived(
      this.fieldNames.filter((name) => writable(name, this.record) && !this.same(name, this.values[name], this.original(name))),
    );
    this.dirty = $derived(this.changed.length > 0);
  }

  private original(name: string): unknown {
    return this.record ? this.record[name] : emptyValue(this.model.fields[name]);
  }

  private same(name: string, a: unknown, b: unknown): boolean {
    const field = this.model.fields[name];
    if (field.kind === 'lines')
      return JSON.stringify(this.linesToApi(name, a as Line[])) === JSON.stringify(this.linesToApi(name, b as Line[]));
    return sameValue(field, a, b);
  }

  lineModel(name: string): ModelMeta | undefined {
    const target = this.model.fields[name].model;
    return target ? this.models[target] : undefined;
  }

  /**
   * The columns of a one2many that are written back: shown, not set by the server, not the link to this
   * record. Lines are written with the parent's permission, so the line model's own rules do not count.
   */
  private lineWritable(name: string): string[] {
    const target = this.lineModel(name);
    if (!target) return [];
    const inverse = this.model.fields[name].inverse;
    return lineColumns(this.view, name, target, inverse).filter((c) => !target.fields[c].computed);
  }

  /** A one2many as the API writes it: every line kept, with its id when it has one (docs/api.md). */
  private linesToApi(name: string, lines: Line[] | undefined): Values[] {
    const target = this.lineModel(name);
    const columns = this.lineWritable(name);
    return (lines ?? []).map((line) => ({
      ...(line.id ? { id: line.id } : {}),
      ...Object.fromEntries(columns.map((c) => [c, toApiValue(target!.fields[c], line[c])])),
    }));
  }

  private apiValue(name: string): unknown {
    const field = this.model.fields[name];
    return field.kind === 'lines' ? this.linesToApi(name, this.values[name] as Line[]) : toApiValue(field, this.values[name]);
  }

  private edit(record: RecordData | null): void {
    this.record = record;
    const values: Values = {};
    for (const name of this.fieldNames) {
      const value = record ? record[name] : emptyValue(this.model.fields[name]);
      values[name] = this.model.fields[name].kind === 'lines' ? ((value as Line[] | undefined) ?? []).map((line) => ({ ...line })) : value;
    }
    this.values = values;
    this.errors = {};
    this.formErrors = [];
  }

  async load(): Promise<void> {
    if (!this.id) {
      this.edit(null);
      this.status = 'ready';
      return;
    }
    try {
      this.edit(await recordsApi.get(this.modelId, this.id));
      this.status = 'ready';
    } catch (error) {
      this.status = error instanceof ApiError && error.status === 404 ? 'missing' : 'error';
      this.loadError = errorMessage(error, 'The record could not be loaded');
    }
  }

  newLine(name: string): void {
    const target = this.lineModel(name);
    if (!target) return;
    const line: Line = { _key: `new-${++nextKey}` };
    for (const column of this.lineWritable(name)) line[column] = emptyValue(target.fields[column]);
    this.values[name] = [...((this.values[name] as Line[]) ?? []), line];
  }

  /**
   * Shows computed fields as the server will set them (a module's preview, docs/modules.md): only fields the
   * server computes, a one2many's per line; unchanged values are not written again, so an effect that calls
   * this settles.
   */
  showComputed(computed: Values): void {
    for (const [name, value] of Object.entries(computed)) {
      const field = this.model.fields[name];
      if (!field || !this.fieldNames.includes(name)) continue;
      if (field.kind !== 'lines') {
        if (field.computed && this.values[name] !== value) this.values[name] = value;
        continue;
      }
      const target = this.lineModel(name);
      const lines = (this.values[name] as Line[] | undefined) ?? [];
      (value as Values[]).forEach((lineValues, i) => {
        for (const [column, v] of Object.entries(lineValues)) {
          if (lines[i] && target?.fields[column]?.computed && lines[i][column] !== v) lines[i][column] = v;
        }
      });
    }
  }

  /** Required fields left empty are flagged here, before the server is asked. */
  private checkRequired(): boolean {
    const missing = this.fieldNames.filter((name) => {
      const field: FieldMeta = this.model.fields[name];
      const creatingWithDefault = !this.record && field.default !== undefined;
      return field.required && this.writable(name, this.record) && !creatingWithDefault && isBlank(field, this.values[name]);
    });
    this.errors = Object.fromEntries(missing.map((name) => [name, 'is required']));
    return missing.length === 0;
  }

  /**
   * Saves; returns the saved record, or null when it was refused (the reasons are on the form). Refused
   * because someone saved first, and none of the same fields: merged onto theirs and saved once more.
   */
  async save(retried = false): Promise<RecordData | null> {
    if (!this.checkRequired()) return null;
    this.formErrors = [];
    this.saving = true;
    try {
      const names = this.record
        ? this.changed
        : this.fieldNames.filter((n) => this.writable(n, null) && !isBlank(this.model.fields[n], this.values[n]));
      const body = Object.fromEntries(names.map((name) => [name, this.apiValue(name)]));
      const saved = this.record
        ? await recordsApi.update(this.modelId, this.record.id, body, this.record.version)
        : await recordsApi.create(this.modelId, body);
      this.id = saved.id;
      this.edit(saved);
      this.conflict = null;
      this.revision++;
      return saved;
    } catch (error) {
      const current =
        error instanceof ApiError && error.status === 409 ? (error.details as { current?: RecordData } | undefined)?.current : undefined;
      if (current && !retried && !this.showTheirs(current, 'save')) return await this.save(true);
      if (!current) this.refused(error);
      return null;
    } finally {
      this.saving = false;
      const pending = this.pendingEvent;
      this.pendingEvent = null;
      if (pending) void this.applyEvent(pending);
    }
  }

  /** Shows why the server refused: a newer version (conflict), problems next to their fields, or a message. */
  refused(error: unknown): void {
    if (!(error instanceof ApiError)) {
      this.formErrors = ['Something went wrong'];
      return;
    }
    const onForm: Record<string, string> = {};
    const elsewhere: string[] = [];
    for (const problem of error.problems) {
      const [name] = problem.field.split('.');
      if (this.fieldNames.includes(name)) onForm[problem.field] = problem.message;
      else elsewhere.push(`${this.model.fields[name]?.label ?? problem.field}: ${problem.message}`);
    }
    this.errors = onForm;
    this.formErrors = error.problems.length > 0 ? elsewhere : [error.message];
  }

  /**
   * Their version becomes the form's; the user's edits of fields they did not change stay on top of it
   * (merged, nothing to ask), and only edits of fields both changed are kept aside as a conflict.
   * Returns whether there is one.
   */
  private showTheirs(theirs: RecordData, source: 'live' | 'save'): boolean {
    const base = this.record;
    const mine = Object.fromEntries(this.changed.map((name) => [name, $state.snapshot(this.values[name])]));
    const clashing = Object.keys(mine).filter((name) => !base || !this.same(name, theirs[name], base[name]));
    this.edit(theirs);
    this.revision++;
    for (const [name, value] of Object.entries(mine)) if (!clashing.includes(name)) this.values[name] = value;
    this.conflict = clashing.length > 0 ? { mine: Object.fromEntries(clashing.map((name) => [name, mine[name]])), source } : null;
    return clashing.length > 0;
  }

  /** Puts the user's unsaved changes back on top of the other version (to save them deliberately). */
  reapplyMine(): void {
    if (!this.conflict) return;
    Object.assign(this.values, this.conflict.mine);
    this.conflict = null;
  }

  discard(): void {
    this.edit(this.record);
    this.conflict = null;
  }

  /** Someone changed this record: shown at once when the form is clean, as a conflict when it is not. */
  async applyEvent(event: RecordEvent): Promise<void> {
    if (event.model !== this.modelId || event.id !== this.record?.id) return;
    if (this.saving) {
      this.pendingEvent = event;
      return;
    }
    if (event.op === 'deleted') {
      if (event.version < this.record.version) return; // a stale deletion: the record shown is newer
      this.deletedElsewhere = true;
      return;
    }
    if (event.version <= this.record.version) return;
    // The form shows one2many lines, which an event need not carry: the record is read again, whole.
    const theirs = await recordsApi.get(this.modelId, this.record.id).catch(() => null);
    if (!theirs || theirs.version <= (this.record?.version ?? 0)) return;
    if (this.dirty) this.showTheirs(theirs, 'live');
    else {
      this.edit(theirs);
      this.revision++;
    }
  }

  /** Runs a business action (after a save, when there are changes); throws what the server refused. */
  async runAction(name: string, params: Values): Promise<void> {
    if (!this.record) return;
    this.edit(await recordsApi.action(this.modelId, this.record.id, name, params));
    this.revision++;
  }

  async remove(): Promise<void> {
    if (this.record) await recordsApi.remove(this.modelId, this.record.id);
  }
}
