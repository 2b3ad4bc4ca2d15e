/**
 * The core's building blocks, for tests that check it from outside against an oracle of their own
 * (test/security, test/fuzz): registry and manifest shapes, the filter language, SQL fragments, the
 * runtime role, the demo tenant. A module's hooks never need them; they are exported here so that no
 * test reaches into core/src by path, and a move inside the core changes only this file.
 */
export type { ActionDef, FieldDef, ModelDef } from '../../kernel/registry/registry-types.ts';
export type { Registry } from '../../kernel/registry/registry.ts';
export type { Grant, ModelPermissionManifest, RolePermissionsManifest } from '../../kernel/manifest/manifest-types.ts';
export { bindVariables, checkFilter, parseFilter } from '../../kernel/filter/filter-language.ts';
export { matchesCondition } from '../../kernel/filter/filter-match.ts';
export { SYSTEM_FIELDS } from '../../kernel/system-fields.ts';
export { typeOf } from '../../kernel/field-types/registry.ts';
export { ident, join, sql } from '../../store/sql.ts';
export { Database, RUNTIME_ROLE } from '../../store/database.ts';
export { createDemoTenant, DEMO_PASSWORD, DEMO_USERS } from '../../engine/tenancy/demo-tenant.ts';
