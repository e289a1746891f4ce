import { describe, expect, it } from 'vitest';
import { fromMailgun, fromMime, fromPostmark } from '../../src/outreach/inbound-shapes.js';
import { normalMessageId, referencesOf } from '../../src/outreach/replies.js';

describe('the shapes inbound mail comes in', () => {
  it('reads raw MIME: sender, subject, its own Message-ID, In-Reply-To, References, text', async () => {
    const raw = [
      'From: "Pat" <pat@acme.example>',
      'To: cs@vendor.example',
      'Subject: =?UTF-8?Q?Re:_caf=C3=A9?=',
      'Message-ID: <r1@acme.example>',
      'In-Reply-To: <a.playbook@vendor.example>',
      'References: <z.playbook@vendor.example> <a.playbook@vendor.example>',
      '',
      'Yes please.',
      '',
    ].join('\r\n');
    expect(await fromMime(raw, 'smtp')).toEqual({
      channel: 'smtp',
      from: 'pat@acme.example',
      subject: 'Re: café',
      messageId: '<r1@acme.example>',
      inReplyTo: '<a.playbook@vendor.example>',
      references: ['<z.playbook@vendor.example>', '<a.playbook@vendor.example>'],
      text: 'Yes please.\n',
    });
  });

  it("reads Mailgun's form fields, preferring the stripped reply text", () => {
    expect(
      fromMailgun({
        from: 'lee@globex.example',
        subject: 'Re: hi',
        'Message-Id': '<m@x>',
        'In-Reply-To': '<a@y>',
        'body-plain': 'long',
        'stripped-text': 'short',
      }),
    ).toEqual({ channel: 'http', from: 'lee@globex.example', subject: 'Re: hi', messageId: '<m@x>', inReplyTo: '<a@y>', references: [], text: 'short' });
  });

  it('refuses a body of neither shape, naming what is missing', () => {
    expect(() => fromPostmark({ Subject: 'x' })).toThrow(/^not a Postmark inbound message: From: /);
    expect(() => fromMailgun({ subject: 'x' })).toThrow(/^not a Mailgun inbound message: from: /);
  });

  it('compares Message-IDs with their angle brackets, however a provider passes them', () => {
    expect(normalMessageId('a@b')).toBe('<a@b>');
    expect(normalMessageId(' <a@b> ')).toBe('<a@b>');
    expect(referencesOf('<a@b>\r\n <c@d>')).toEqual(['<a@b>', '<c@d>']);
  });
});
