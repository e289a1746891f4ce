/**
 * Delivery status notifications (RFC 3464) as the MTAs that send most of them shape them —
 * Postfix (a hard bounce and a delay warning, the returned headers as `text/rfc822-headers`),
 * Microsoft 365 / Exchange Online (the notice as nested multipart/alternative, the whole message
 * returned as `message/rfc822`, In-Reply-To naming the bounced email) and Gmail (nested
 * multipart/related with an icon, the Message-ID also as `X-Original-Message-ID`), plus an
 * RFC 6533 UTF-8 report a relay re-encoded as base64 — read through the inbound shape every path
 * uses, with LF and with CRLF line ends (SMTP). Malformed reports name what could not be read
 * and keep what could.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromMime } from '../../src/outreach/inbound-shapes.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'dsn');
const sample = (name: string) => readFileSync(path.join(DIR, name), 'utf8');

describe.each([
  ['LF', (text: string) => text],
  ['CRLF', (text: string) => text.replace(/\r?\n/g, '\r\n')],
])('DSNs with %s line ends', (_ends, lineEnds) => {
  const report = async (name: string) => (await fromMime(Buffer.from(lineEnds(sample(name))), 'smtp')).dsn;

  it.each([
    [
      'postfix-hard.eml',
      {
        kind: 'hard',
        address: 'kim@acme.example',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <kim@acme.example>: Recipient address rejected: User unknown in virtual mailbox table',
        messageId: '<abc123.playbook@vendor.example>',
        reportId: 'dsn:<4R2x1T0gKLz9sQ4@mail.vendor.example>:kim@acme.example',
      },
    ],
    [
      'postfix-delayed.eml',
      {
        kind: 'soft',
        address: 'pat@acme.example',
        status: '4.4.1',
        diagnostic: 'connect to mx.acme.example[203.0.113.5]:25: Connection timed out',
        messageId: '<def456.playbook@vendor.example>',
      },
    ],
    [
      'exchange-hard.eml',
      {
        kind: 'hard',
        address: 'lee@contoso.example',
        status: '5.1.10',
        diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient lee@contoso.example not found by SMTP address lookup',
        messageId: '<jkl012.playbook@vendor.example>',
      },
    ],
    [
      'gmail-hard.eml',
      {
        kind: 'hard',
        address: 'sam@gmail.example',
        status: '5.1.1',
        diagnostic: expect.stringMatching(
          /^550-5\.1\.1 The email account that you tried to reach does not exist\. .* https:\/\/support\.google\.com\/mail\/\?p=NoSuchUser$/,
        ),
        messageId: '<mno345.playbook@vendor.example>',
      },
    ],
    [
      'global-base64.eml',
      {
        kind: 'hard',
        address: 'anna@bücher.example',
        status: '5.1.1',
        diagnostic: '550 5.1.1 Benutzer unbekannt',
        messageId: '<pqr678.playbook@vendor.example>',
      },
    ],
  ])('%s reports its bounce', async (name, bounce) => {
    expect(await report(name)).toEqual({ bounces: [expect.objectContaining({ ...bounce, source: 'dsn' })], problems: [] });
  });

  it('the Gmail report still names the bounced email without its returned message (X-Original-Message-ID)', async () => {
    const withoutReturned = sample('gmail-hard.eml').replace(
      /--000000000000c0ffee0123456789\nContent-Type: message\/rfc822[\s\S]*(?=--000000000000c0ffee0123456789--)/,
      '',
    );
    const mail = await fromMime(Buffer.from(lineEnds(withoutReturned)), 'smtp');
    expect(mail.dsn?.bounces).toEqual([expect.objectContaining({ address: 'sam@gmail.example', messageId: '<mno345.playbook@vendor.example>' })]);
  });

  it('a report without a boundary, or without a status part, reports nothing and says why', async () => {
    expect(await report('malformed-no-boundary.eml')).toEqual({ bounces: [], problems: ['no message/delivery-status part'] });
    expect(await report('malformed-no-status-part.eml')).toEqual({ bounces: [], problems: ['no message/delivery-status part'] });
  });

  it('a truncated report with unreadable recipient groups keeps the readable ones and names the others', async () => {
    expect(await report('malformed-groups.eml')).toEqual({
      bounces: [
        // A failure with no readable status is final by its Action.
        expect.objectContaining({ kind: 'hard', address: 'cy@acme.example', status: null }),
        expect.objectContaining({ kind: 'hard', address: 'kim@acme.example', status: '5.2.2', messageId: '<abc123.playbook@vendor.example>' }),
      ],
      problems: [
        'recipient 1 (ana@acme.example): no Action',
        'recipient 2: no Final-Recipient',
        'recipient 3 (bo@acme.example): unknown Action "bounced"',
        'recipient 4 (cy@acme.example): unreadable Status "mailbox unavailable", taken by its Action',
      ],
    });
  });

  it('a report that is all recipients, without its per-message group, is read too', async () => {
    const bare = sample('postfix-hard.eml').replace(/Reporting-MTA:[\s\S]*?\n\n(?=Final-Recipient)/, '');
    expect((await fromMime(Buffer.from(lineEnds(bare)), 'smtp')).dsn?.bounces).toEqual([expect.objectContaining({ address: 'kim@acme.example' })]);
  });

  it('a reply is no report', async () => {
    const reply = 'From: kim@acme.example\nTo: jordan@vendor.example\nSubject: Re: Quarterly review\nIn-Reply-To: <abc123.playbook@vendor.example>\n\nYes.\n';
    const mail = await fromMime(Buffer.from(lineEnds(reply)), 'smtp');
    expect(mail.dsn).toBeUndefined();
    expect(mail.inReplyTo).toBe('<abc123.playbook@vendor.example>');
  });
});
