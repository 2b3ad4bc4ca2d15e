import { packRules, permittedFieldsOf, type PermittedFieldsOptions } from '@casl/ability/extra';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import { bindVariables, type Condition } from '../../kernel/filter/filter-language.ts';
import type { AppAbility, Binding, SharedAbility } from './abilities.ts';
import { unboundCondition } from './unbound-condition.ts';

type Can = AppAbility['can'];
type Rules = ReturnType<AppAbility['rulesFor']>;

/**
 * What one user may do: the ability shared by their role set (see Sessions), judged with their own `$user`
 * and `$tenant`. Every check goes through here; the shared CASL ability itself is not reachable, so nothing
 * can check a rule with no viewer bound, or with another's. A binding lasts one synchronous CASL call.
 */
export class Permissions {
  readonly #shared: SharedAbility;
  readonly #binding: Binding;
  /**
   * With the shared ability, equal for viewers who always read alike: '' when no rule about reading names
   * a variable (an update rule on `$user` changes what they may write, not what they see), else the user's
   * own. Realtime computes an event's frame once per pair.
   */
  readonly viewerKey: string;

  constructor(shared: SharedAbility, binding: Binding) {
    this.#shared = shared;
    this.#binding = Object.freeze({ user: binding.user, tenant: binding.tenant });
    this.viewerKey = shared.readVariables ? `${binding.tenant}:${binding.user}` : '';
  }

  /** The shared ability, for caches of what does not depend on the viewer (rules' fields, unbound conditions). */
  get sharedKey(): object {
    return this.#shared;
  }

  can(...args: Parameters<Can>): boolean {
    return this.bound(() => this.#shared.casl.can(...args));
  }

  /** The fields of `subject` this viewer may `action`, under the rules that match it (CASL's permittedFieldsOf). */
  permittedFieldsOf(action: string, subject: Parameters<Can>[1], options: PermittedFieldsOptions<AppAbility>): string[] {
    return this.bound(() => permittedFieldsOf(this.#shared.casl, action, subject, options));
  }

  /** The rules of an action on a model, for their fields and kinds only: their conditions are unbound. */
  rulesFor(action: string, model: string): Rules {
    return this.#shared.casl.rulesFor(action, model);
  }

  /**
   * The records this viewer may `action` on a model, as one condition with their values bound: the OR of the
   * rules that allow it (a rule without conditions allows every record). null when no rule allows it at all.
   */
  condition(action: string, model: ModelDef): Condition | null {
    const found = unboundCondition(this.#shared, action, model);
    return found && found.variables ? bindVariables(found.condition, this.#binding) : (found?.condition ?? null);
  }

  /** The rules for the shell, packed, with this viewer's values in place of `$user` and `$tenant` (as it matches them). */
  packedRules(): ReturnType<typeof packRules> {
    const { user, tenant } = this.#binding;
    const rules = this.#shared.casl.rules.map((rule) =>
      rule.conditions && this.#shared.variables
        ? {
            ...rule,
            conditions: JSON.parse(
              JSON.stringify(rule.conditions).replaceAll('"$user"', JSON.stringify(user)).replaceAll('"$tenant"', JSON.stringify(tenant)),
            ) as typeof rule.conditions,
          }
        : rule,
    );
    return packRules(rules);
  }

  private bound<T>(check: () => T): T {
    const shared = this.#shared;
    const previous = shared.binding;
    shared.binding = this.#binding;
    try {
      return check();
    } finally {
      shared.binding = previous;
    }
  }
}
