/** The deployment registry workflow (see registry-contract.ts). Placeholder until implemented. */
export async function playbookRegistry(): Promise<void> {
  throw new Error('the registry is not implemented yet');
}
