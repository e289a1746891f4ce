// Renders each playbook diagram (its Mermaid source, written by the server) in place.
// Mermaid's SVG carries its styles in <style> elements and style attributes, which the
// Content-Security-Policy (style-src 'self') blocks; they are applied through the CSSOM
// instead, which the policy allows, so the page needs no 'unsafe-inline'.
/* global mermaid */
(async () => {
  const blocks = document.querySelectorAll('pre.mermaid-source');
  if (blocks.length === 0 || typeof mermaid === 'undefined') return;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { htmlLabels: false } });
  let n = 0;
  for (const block of blocks) {
    try {
      const { svg } = await mermaid.render(`diagram-${n++}`, block.textContent);
      const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
      for (const style of parsed.querySelectorAll('style')) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(style.textContent);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        style.remove();
      }
      const styled = [...parsed.querySelectorAll('[style]'), ...(parsed.hasAttribute('style') ? [parsed] : [])].map((el) => {
        const text = el.getAttribute('style');
        el.removeAttribute('style');
        return [el, text];
      });
      const node = document.importNode(parsed, true);
      const label = block.parentElement.getAttribute('aria-label');
      node.setAttribute('role', 'img');
      if (label) node.setAttribute('aria-label', label);
      block.replaceWith(node);
      // importNode made copies: find them again by their position among the styled elements.
      const copies = [...node.querySelectorAll('*')];
      const originals = [...parsed.querySelectorAll('*')];
      for (const [el, text] of styled) {
        const target = el === parsed ? node : copies[originals.indexOf(el)];
        if (target) target.style.cssText = text;
      }
    } catch (e) {
      block.insertAdjacentText('beforebegin', 'The diagram could not be drawn; its Mermaid source follows. ');
      console.error(e);
    }
  }
})();
