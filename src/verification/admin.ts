import type { Actor, AuditService } from '../audit/audit-service.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { CommunityRepository } from './community-repository.ts';
import type { CommunityService } from './community-service.ts';
import { verificationErrors } from './errors.ts';
import type { EmailDomainRules } from './methods/email-domain-rules.ts';
import type { NewRegistrySource, RegistrySourceRepository } from './sources/registry-repository.ts';
import { importRoster } from './sources/roster-import.ts';
import type { RosterRepository } from './sources/roster-repository.ts';
import type { Community } from './types.ts';

export type CommunityChanges = Partial<
  Pick<Community, 'name' | 'validityDays' | 'subgroupValidityDays' | 'methods'>
>;

/**
 * What administrators change in how communities are proven (the operator's CLI now, the administrator
 * console later): communities, email-domain rules, rosters, registries. Every change is audited.
 */
export function createVerificationAdmin(deps: {
  communityRepository: CommunityRepository;
  communities: CommunityService;
  emailRules: EmailDomainRules;
  rosters: RosterRepository;
  registries: RegistrySourceRepository;
  audit: AuditService;
  ids: IdGenerator;
  clock: Clock;
}) {
  const { audit } = deps;
  const record = (
    event: Parameters<AuditService['record']>[0],
    actor: Actor,
    subject: { type: string; id: string },
    data: Record<string, unknown> = {},
  ) => audit.record(event, { actor, subject, data });

  return {
    async updateCommunity(handle: string, changes: CommunityChanges, actor: Actor): Promise<Community> {
      if (!(await deps.communityRepository.update(handle, changes)))
        throw verificationErrors.unknownCommunity(handle);
      deps.communities.refresh();
      await record('community.updated', actor, { type: 'community', id: handle }, { changes });
      const updated = await deps.communities.find(handle);
      if (updated === undefined) throw verificationErrors.unknownCommunity(handle);
      return updated;
    },

    async addEmailDomainRule(input: { community: string; subgroup: string; pattern: string }, actor: Actor) {
      const rule = await deps.emailRules.add(input);
      await record(
        'email_domain_rule.added',
        actor,
        { type: 'email_domain_rule', id: rule.id },
        { ...input, pattern: rule.pattern },
      );
      return rule;
    },

    async removeEmailDomainRule(id: string, actor: Actor): Promise<void> {
      await deps.emailRules.remove(id);
      await record('email_domain_rule.removed', actor, { type: 'email_domain_rule', id });
    },

    async importRoster(input: { community: Community; organization: string; csv: string }, actor: Actor) {
      const imported = await importRoster(
        { repository: deps.rosters, ids: deps.ids, clock: deps.clock },
        { ...input, createdBy: actor.id ?? null },
      );
      await record(
        'roster.imported',
        actor,
        { type: 'roster', id: imported.rosterId },
        {
          community: input.community.handle,
          organization: input.organization,
          entries: imported.entries,
        },
      );
      return imported;
    },

    async removeRoster(id: string, actor: Actor): Promise<boolean> {
      const removed = await deps.rosters.deleteRoster(id);
      if (removed) await record('roster.removed', actor, { type: 'roster', id });
      return removed;
    },

    async addRegistry(input: NewRegistrySource, actor: Actor) {
      const registry = await deps.registries.insert(input);
      // Never the auth header: it is a credential.
      await record(
        'registry_source.added',
        actor,
        { type: 'registry_source', id: registry.id },
        {
          community: input.community.handle,
          name: input.name,
          urlTemplate: input.urlTemplate,
        },
      );
      return registry;
    },

    async setRegistryEnabled(id: string, enabled: boolean, actor: Actor): Promise<boolean> {
      const changed = await deps.registries.updateEnabled(id, enabled);
      if (changed) {
        await record(enabled ? 'registry_source.enabled' : 'registry_source.disabled', actor, {
          type: 'registry_source',
          id,
        });
      }
      return changed;
    },

    async removeRegistry(id: string, actor: Actor): Promise<boolean> {
      const removed = await deps.registries.delete(id);
      if (removed) await record('registry_source.removed', actor, { type: 'registry_source', id });
      return removed;
    },
  };
}

export type VerificationAdmin = ReturnType<typeof createVerificationAdmin>;
