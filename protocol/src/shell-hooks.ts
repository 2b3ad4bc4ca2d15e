/**
 * What a module's optional `shell.ts` gives the shell (kit-ui). It runs in the browser, so it may import
 * only code that does: its own pure files and `@atrium/protocol`, never `@atrium/core` (the server).
 * It computes nothing the server trusts: the server computes again on save.
 */

export interface ShellPreviewContext {
  /** Records of a model by id, as the records API reads them (cached for the form). */
  read(model: string, ids: string[]): Promise<Record<string, unknown>[]>;
  /** The tenant's currency (ISO 4217), for the amounts' precision. */
  currency: string;
}

export interface ShellModelHooks {
  /**
   * The computed fields as the server will set them on save, from the values being edited (live totals):
   * by field name; a one2many's as one object of computed values per line, in the lines' order.
   */
  preview?(values: Record<string, unknown>, ctx: ShellPreviewContext): Promise<Record<string, unknown>>;
}

export interface ShellHooks {
  models?: Record<string, ShellModelHooks>;
}
