import { describe, expect, it } from 'vitest';
import { diffLines } from '../src/console/diff.js';

describe('policy version diff', () => {
  it('marks the lines a version added and removed, keeps the rest', () => {
    const before =
      'permit (principal, action, resource);\n// old note\nforbid (principal, action, resource);';
    const after = 'permit (principal, action, resource);\nforbid (principal, action, resource);\n// new note';
    expect(diffLines(before, after)).toEqual([
      { op: ' ', text: 'permit (principal, action, resource);' },
      { op: '-', text: '// old note' },
      { op: ' ', text: 'forbid (principal, action, resource);' },
      { op: '+', text: '// new note' },
    ]);
  });

  it('a new set is all added, a removed set all removed', () => {
    expect(diffLines('', 'a\nb').map((l) => l.op)).toEqual(['+', '+']);
    expect(diffLines('a', '').map((l) => l.op)).toEqual(['-']);
  });
});
