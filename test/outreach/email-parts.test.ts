import { describe, expect, it } from 'vitest';
import { emailHtml, emailText } from '../../src/outreach/email-html.js';

describe('the parts of a customer email', () => {
  it('renders the Markdown as HTML, showing raw HTML as text and dropping links that are not web or mail addresses', () => {
    const html = emailHtml(
      'Hi **Pat**,\n\n<script>alert(1)</script>\n\nSee <b>this</b> [guide](https://example.com/g) [bad](javascript:alert(1)) ![x](https://t.example/p.gif)',
      null,
    );
    expect(html).toContain('<strong>Pat</strong>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('See &lt;b&gt;this&lt;/b&gt;');
    expect(html).toContain('<a href="https://example.com/g">guide</a>');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('<img');
  });

  it('puts the unsubscribe link at the foot of both parts', () => {
    const link = 'https://cs.example.com/unsubscribe/t.s';
    expect(emailHtml('Hi', link)).toContain(`<a href="${link}">Unsubscribe</a>`);
    expect(emailText('Hi\n', link)).toBe(`Hi\n\n--\nUnsubscribe: ${link}\n`);
    expect(emailText('Hi\n', null)).toBe('Hi\n');
  });
});
