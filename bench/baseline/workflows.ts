/** The benchmarks' workflow bundle: the product's `playbook` workflow beside the hand-written baselines. */
export { playbook } from '../../src/temporal/workflows.js';
export { notifyAndWait } from './notify-and-wait-workflow.js';
export { onboardingEnterprise } from './onboarding-workflow.js';
