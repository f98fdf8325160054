import { builtInTools } from '@gatehouse/catalog';
import { describe, expect, it } from 'vitest';
import { MAX_TOOL_NAME_LENGTH, modelToolNames } from '../src/agent-tools/tool-names.js';

// What OpenAI and Anthropic accept as a function/tool name.
const MODEL_SAFE = /^[a-zA-Z0-9_-]{1,64}$/;

describe('model-safe tool names', () => {
  it('maps every catalog slug to a plain, reversible, model-safe name', () => {
    const slugs = builtInTools().map(({ tool }) => tool.slug);
    const names = modelToolNames(slugs);
    for (const slug of slugs) {
      const name = names.nameOf(slug);
      expect(name).toMatch(MODEL_SAFE);
      expect(name).toBe(slug.replaceAll('.', '_'));
      expect(names.slugOf(name)).toBe(slug);
    }
    expect(names.nameOf('acme.tasks.create')).toBe('acme_tasks_create');
    expect(names.slugOf('acme.tasks.create')).toBeUndefined();
  });

  it('keeps slugs that would collide apart, whatever their order', () => {
    const slugs = ['acme.tasks.list_all', 'acme.tasks_list.all', 'acme.tasks.create'];
    const forward = modelToolNames(slugs);
    const backward = modelToolNames([...slugs].reverse());
    const a = forward.nameOf('acme.tasks.list_all');
    const b = forward.nameOf('acme.tasks_list.all');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^acme_tasks_list_all_[0-9a-f]{8}$/);
    expect(forward.nameOf('acme.tasks.create')).toBe('acme_tasks_create');
    for (const slug of slugs) {
      expect(backward.nameOf(slug)).toBe(forward.nameOf(slug));
      expect(forward.slugOf(forward.nameOf(slug))).toBe(slug);
    }
  });

  it('shortens slugs longer than the limit without losing uniqueness', () => {
    const long = `big.${'very_long_resource_name.'.repeat(5)}action`;
    const sibling = `${long}s`;
    const names = modelToolNames([long, sibling]);
    for (const slug of [long, sibling]) {
      expect(names.nameOf(slug)).toMatch(MODEL_SAFE);
      expect(names.nameOf(slug)).toHaveLength(MAX_TOOL_NAME_LENGTH);
      expect(names.slugOf(names.nameOf(slug))).toBe(slug);
    }
    expect(names.nameOf(long)).not.toBe(names.nameOf(sibling));
    expect(() => names.nameOf('not.in.the.set')).toThrow(/not one of these tools/);
  });
});
