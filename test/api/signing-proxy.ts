/**
 * A loopback HTTP proxy that signs what it forwards as an integration would: every request
 * but GET and HEAD gets a fresh `Playbook-Signature` over its body as received, unless it
 * carries one already (a generated one, which the API is right to refuse). The fuzz sends an
 * integration's requests through it, so they get past the signature check to the code behind.
 */
import { createServer, request as forward, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SigningProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

export async function startSigningProxy(target: string, sign: (raw: string) => string): Promise<SigningProxy> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    void bodyOf(incoming).then((body) => {
      const headers = { ...incoming.headers };
      if (incoming.method !== 'GET' && incoming.method !== 'HEAD' && headers['playbook-signature'] === undefined) {
        headers['playbook-signature'] = sign(body.toString('utf8'));
      }
      const call = forward({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      call.on('error', () => outgoing.destroy());
      call.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function bodyOf(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}
