/**
 * Who may do what. A token has one role; each route needs one access. The table is the
 * whole policy: `csm` reads (reports too: its book's figures), starts runs, sends events, completes, reassigns, snoozes and closes
 * its own tasks and records opt-outs; `csops` may do everything (deploying, switching playbooks off and on, reading their throttles' queues too); `integration` (a CRM, a helpdesk)
 * only feeds accounts, events and opt-outs. Lifting an opt-out is csops only.
 */
export const ROLES = ['csm', 'csops', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export type Access =
  | 'accounts:read'
  | 'accounts:write'
  | 'events:send'
  | 'runs:read'
  | 'runs:start'
  | 'runs:control'
  | 'tasks:read'
  | 'tasks:complete'
  | 'tasks:change'
  | 'playbooks:read'
  | 'playbooks:switch'
  | 'playbooks:throttle'
  | 'suppressions:read'
  | 'suppressions:write'
  | 'suppressions:lift'
  | 'reports:read'
  | 'deploy';

const GRANTS: Record<Role, ReadonlySet<Access>> = {
  csm: new Set([
    'accounts:read',
    'events:send',
    'runs:read',
    'runs:start',
    'tasks:read',
    'tasks:complete',
    'tasks:change',
    'playbooks:read',
    'suppressions:read',
    'suppressions:write',
    'reports:read',
  ]),
  csops: new Set([
    'accounts:read',
    'accounts:write',
    'events:send',
    'runs:read',
    'runs:start',
    'runs:control',
    'tasks:read',
    'tasks:complete',
    'tasks:change',
    'playbooks:read',
    'playbooks:switch',
    'playbooks:throttle',
    'suppressions:read',
    'suppressions:write',
    'suppressions:lift',
    'reports:read',
    'deploy',
  ]),
  integration: new Set(['accounts:read', 'accounts:write', 'events:send', 'suppressions:write']),
};

export function allows(role: Role, access: Access): boolean {
  return GRANTS[role].has(access);
}

/** The roles that have `access`, for the 403 message. */
export function rolesWith(access: Access): Role[] {
  return ROLES.filter((role) => allows(role, access));
}
