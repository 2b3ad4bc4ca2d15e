/**
 * `@atrium/core/platform`: what runs a project on the core — its scripts (start, dev, new-module) and a
 * host that builds the app itself. Module code imports `@atrium/core`; tests `@atrium/core/testing`.
 */
export { startServer } from './main.ts';
export { buildApp } from './server.ts';
export { exitOnStartupError, findProjectRoot, loadPlatformConfig } from './platform-config.ts';
export { resolveConfig, type PlatformConfig, type PlatformConfigInput } from '../kernel/config.ts';
export { StartupError } from '../kernel/errors.ts';
export { staleDeclarations } from '../kernel/manifest/model-declarations.ts';
export { prettyLogStream } from './pretty-log.ts';
export { setTenantPlan, tenantPlan } from '../engine/plans/tenant-plan.ts';
export { planNamed, type Plan, type PlanLimits, type Plans, type PlansInput } from '../kernel/plans.ts';
