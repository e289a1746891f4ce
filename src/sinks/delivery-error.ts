/**
 * A delivery that will fail the same way however often it is retried: a rejected address,
 * an HTTP 4xx other than 408/425/429, a redirect, a URL that does not parse, a header value HTTP
 * cannot carry, a name missing from the configuration. Sinks throw it; the activities turn it
 * into a non-retryable Temporal failure. Any other error is treated as transient (retried).
 */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
