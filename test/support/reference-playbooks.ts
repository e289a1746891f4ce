/** The reference workspace's playbooks (playbooks/), in the order deploys and lists print them. */
export const REFERENCE_PLAYBOOKS = [
  'executive-sponsor-check',
  'nps-detractor',
  'onboarding-enterprise',
  'qbr-cadence',
  're-engagement',
  'renewal-readiness',
  'seat-expansion',
  'support-escalation',
  'trial-to-paid',
];
