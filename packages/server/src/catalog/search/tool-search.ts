import type { ToolDefinition, Toolkit } from '@gatehouse/catalog';
import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import synonymData from './synonyms.json' with { type: 'json' };
import { term, words } from './text.js';

/** A query word's synonyms count for this much of the word itself. */
export const SYNONYM_WEIGHT = 0.45;

/** How strongly covering more of the query's words counts (the exponent of the covered share). */
const COORDINATION = 2;

// Where a word matters most: a tool's name says what it does; the slug and toolkit say where.
const FIELD_BOOSTS = { name: 3, slug: 2, toolkit: 1.5, args: 1, description: 1 };

interface Doc {
  id: string;
  slug: string;
  name: string;
  toolkit: string;
  args: string;
  description: string;
}

export interface SearchHit {
  slug: string;
  score: number;
}

/** stemmed word → stemmed synonyms (from synonyms.json), built once. */
const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, Set<string>>();
  for (const group of synonymData.groups) {
    // stemmer, not term: a stopword such as "me" may still name an intent.
    const stems = group.map((w) => stemmer(w));
    for (const s of stems) {
      const set = out.get(s) ?? new Set<string>();
      for (const other of stems) if (other !== s) set.add(other);
      out.set(s, set);
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
})();

/** The argument names of a tool's input schema (one level; what an agent would name). */
function argumentNames(tool: ToolDefinition): string {
  const props = (tool.input as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.keys(props).join(' ');
}

/**
 * Ranks tools by intent: BM25 (MiniSearch's BM25+) over names, slugs, toolkit names, argument names
 * and descriptions, every word stemmed (Porter), the query expanded with synonyms from data at a lower
 * weight. "open a ticket" finds create-issue tools: open → create, ticket → issue/task.
 */
export class ToolSearchIndex {
  readonly #index: MiniSearch<Doc>;

  constructor(entries: Iterable<{ toolkit: Toolkit; tool: ToolDefinition }>) {
    this.#index = new MiniSearch<Doc>({
      fields: ['slug', 'name', 'toolkit', 'args', 'description'],
      idField: 'id',
      tokenize: words,
      processTerm: (w) => term(w) ?? null,
      searchOptions: { boost: FIELD_BOOSTS },
    });
    const docs: Doc[] = [];
    for (const { toolkit, tool } of entries)
      docs.push({
        id: tool.slug,
        slug: tool.slug,
        name: tool.name,
        toolkit: `${toolkit.displayName} ${toolkit.provider}`,
        args: argumentNames(tool),
        description: tool.description,
      });
    this.#index.addAll(docs);
  }

  /**
   * Best first; only tools matching at least one query term (or synonym). BM25 sums what each term
   * earns, so one frequent word ("file" in every Drive tool) can outweigh a tool that matches every
   * word of the intent; the sum is scaled by the share of the query's words a tool covers, directly
   * or through a synonym (coordination, as classic Lucene scoring does).
   */
  search(query: string, limit = Number.POSITIVE_INFINITY): SearchHit[] {
    const weights = new Map<string, number>();
    // index term → the query words (concepts) it stands for
    const concepts = new Map<string, Set<number>>();
    let conceptCount = 0;
    const weigh = (t: string, w: number, concept: number) => {
      weights.set(t, Math.max(weights.get(t) ?? 0, w));
      concepts.set(t, (concepts.get(t) ?? new Set()).add(concept));
    };
    for (const word of words(query)) {
      const t = term(word);
      const synonyms = SYNONYMS.get(t ?? stemmer(word)) ?? [];
      // A stopword carries no weight itself, but may name an intent ("me" → the user).
      if (t === undefined && synonyms.length === 0) continue;
      const concept = conceptCount++;
      if (t !== undefined) weigh(t, 1, concept);
      for (const s of synonyms) weigh(s, SYNONYM_WEIGHT, concept);
    }
    if (weights.size === 0) return [];
    const hits = this.#index.search([...weights.keys()].join(' '), {
      combineWith: 'OR',
      // The query is already in index form: no second stemming.
      tokenize: (q) => q.split(' '),
      processTerm: (t) => t,
      boostTerm: (t) => weights.get(t) ?? 1,
      prefix: (t) => t.length >= 5,
    });
    const ranked = hits.map((h) => {
      const covered = new Set<number>();
      for (const q of h.queryTerms) for (const c of concepts.get(q) ?? []) covered.add(c);
      return { slug: h.id as string, score: h.score * (covered.size / conceptCount) ** COORDINATION };
    });
    ranked.sort((a, b) => b.score - a.score);
    return ranked.slice(0, limit);
  }
}
