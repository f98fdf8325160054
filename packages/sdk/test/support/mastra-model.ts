import type { LanguageModel } from 'ai-v5';

/** The AI SDK v5 model interface (LanguageModelV2), which Mastra 0.24 agents run on. */
type LanguageModelV2 = Exclude<LanguageModel, string>;
type LanguageModelV2CallOptions = Parameters<LanguageModelV2['doStream']>[0];
type LanguageModelV2StreamPart =
  Awaited<ReturnType<LanguageModelV2['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

const streamOf = <T>(parts: T[]) =>
  new ReadableStream<T>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });

export type Step = { toolCall: { name: string; input: Record<string, unknown> } } | { text: string };

const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 };

/**
 * A language model (AI SDK v5's LanguageModelV2 interface, as Mastra's own tests mock it) streaming
 * each call's next scripted step (generated or streamed): a tool call, or text. `prompts` records everything it was sent.
 * (ai-v5/test's MockLanguageModelV2 would need msw, an HTTP-mocking package, just to load.)
 */
export function scriptedModel(script: Step[]) {
  const prompts: LanguageModelV2CallOptions[] = [];
  let n = 0;
  const model: LanguageModelV2 = {
    specificationVersion: 'v2',
    provider: 'scripted',
    modelId: 'scripted',
    supportedUrls: {},
    doGenerate: async (options) => {
      prompts.push(options);
      const step = script[n++] ?? { text: '' };
      return 'text' in step
        ? { content: [{ type: 'text', text: step.text }], finishReason: 'stop', usage, warnings: [] }
        : {
            content: [
              {
                type: 'tool-call',
                toolCallId: `call-${n}`,
                toolName: step.toolCall.name,
                input: JSON.stringify(step.toolCall.input),
              },
            ],
            finishReason: 'tool-calls',
            usage,
            warnings: [],
          };
    },
    doStream: async (options) => {
      prompts.push(options);
      const step = script[n++] ?? { text: '' };
      const parts: LanguageModelV2StreamPart[] =
        'text' in step
          ? [
              { type: 'stream-start', warnings: [] },
              { type: 'text-start', id: `t${n}` },
              { type: 'text-delta', id: `t${n}`, delta: step.text },
              { type: 'text-end', id: `t${n}` },
              { type: 'finish', finishReason: 'stop', usage },
            ]
          : [
              { type: 'stream-start', warnings: [] },
              {
                type: 'tool-call',
                toolCallId: `call-${n}`,
                toolName: step.toolCall.name,
                input: JSON.stringify(step.toolCall.input),
              },
              { type: 'finish', finishReason: 'tool-calls', usage },
            ];
      return { stream: streamOf(parts) };
    },
  };
  /** The tool results the model was given in its `call`-th call (0-based). */
  const toolResultsSeen = (call: number): Array<{ toolName: string; output: unknown }> => {
    const seen: Array<{ toolName: string; output: unknown }> = [];
    for (const message of prompts[call]?.prompt ?? []) {
      if (message.role !== 'tool') continue;
      for (const part of message.content)
        if (part.type === 'tool-result') seen.push({ toolName: part.toolName, output: part.output });
    }
    return seen;
  };
  return { model, prompts, toolResultsSeen, everythingSent: () => JSON.stringify(prompts) };
}
