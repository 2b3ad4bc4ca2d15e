/**
 * The index of one tenant's custom field is named by the definition's id (engine/customization builds it).
 * The store knows the name too: such indexes are outside the manifests' schema, and the module schema diff
 * must leave them alone.
 */
export const customFieldIndexName = (definitionId: string): string => `custom_${definitionId.replaceAll('-', '')}_idx`;

/** A `drop index "custom_…_idx";` line of a MikroORM schema diff. */
export const dropsCustomFieldIndex = (statement: string): boolean => /^drop index "custom_[0-9a-f]{32}_idx";$/.test(statement.trim());
