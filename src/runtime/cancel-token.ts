/**
 * Cancellation as the interpreter sees it: a flag per scope, inherited from the parent. The
 * `Effects` scope cancels pending waits; the token also stops steps that need no wait (a
 * `note` right after a wait that was satisfied in the same instant its scope was cancelled).
 */
export class CancelToken {
  private cancelled = false;

  constructor(private readonly parent: CancelToken | null) {}

  cancel(): void {
    this.cancelled = true;
  }

  get isCancelled(): boolean {
    for (let token: CancelToken | null = this; token; token = token.parent) if (token.cancelled) return true;
    return false;
  }
}
