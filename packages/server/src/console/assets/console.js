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
