// Progressive enhancement for the Gatehouse console: every page works without this file.

document.addEventListener('submit', (event) => {
  // Destructive actions ask first (a revoke, a deny).
  const form = event.target;
  const submitter = event.submitter;
  const message =
    (submitter && submitter.getAttribute('data-confirm')) || (form && form.getAttribute('data-confirm'));
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener('click', (event) => {
  // A policy problem's "line L, column C" link puts the caret there in the editor.
  const link = event.target.closest && event.target.closest('a[data-line]');
  if (!link) return;
  const editor = document.getElementById(link.getAttribute('data-editor'));
  if (!editor) return;
  event.preventDefault();
  const line = Number(link.getAttribute('data-line'));
  const column = Number(link.getAttribute('data-column'));
  const lines = editor.value.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  editor.focus();
  editor.setSelectionRange(offset, offset + 1);
});
document.addEventListener('submit', (event) => {
  // The policy test panel evaluates the draft in the chosen editor, unsaved text included: copy it in.
  const form = event.target;
  if (form?.id !== 'policy-test' || event.defaultPrevented) return;
  const key = form.elements.draftSet ? form.elements.draftSet.value : '';
  const editor = key && document.getElementById(`policies-${key}`);
  if (!editor) return;
  const mode = document.getElementById(`mode-${key}`);
  const name = document.getElementById('set-new');
  form.elements.fromEditor.value = '1';
  form.elements.draftPolicies.value = editor.value;
  form.elements.draftMode.value = mode ? mode.value : '';
  form.elements.draftName.value = key === 'new' && name ? name.value : '';
});

// The branding preview follows the form as the operator types: the same text colour rule as the
// server (the higher WCAG contrast of near-black or white on the accent, shared/contrast.ts).
(() => {
  const svg = document.querySelector('[data-preview="svg"]');
  if (!svg) return;
  const part = (name) => document.querySelector(`[data-preview="${name}"]`);
  const input = (name) => document.querySelector(`[data-preview-input="${name}"]`);
  const luminance = (hex) => {
    const c = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
    const [r, g, b] = c.map((s) => (s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const fallbackName = part('name') ? part('name').textContent : '';
  const update = () => {
    const typed = input('accent') ? input('accent').value.trim() : '';
    const accent = /^#[0-9a-fA-F]{6}$/.test(typed) ? typed : '#3b5bdb';
    const text = ratio(accent, '#ffffff') >= ratio(accent, '#111418') ? '#ffffff' : '#111418';
    part('button').setAttribute('fill', accent);
    part('button-text').setAttribute('fill', text);
    part('accent').textContent = accent;
    part('text').textContent = text;
    part('ratio').textContent = `${ratio(accent, text).toFixed(1)}:1`;
    const name = input('name') ? input('name').value.trim() : '';
    part('name').textContent = name || fallbackName;
    // A typed logo is not fetched from here (the page's CSP allows no other origin): it shows once saved.
  };
  for (const name of ['accent', 'name']) if (input(name)) input(name).addEventListener('input', update);
})();
