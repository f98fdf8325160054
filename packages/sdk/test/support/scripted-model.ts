import { MockLanguageModelV3 } from 'ai/test';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type Prompt = MockLanguageModelV3['doGenerateCalls'][number]['prompt'];

export type Step = { toolCall: { name: string; input: Record<string, unknown> } } | { text: string };

const usage: GenerateResult['usage'] = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/**
 * The AI SDK's own mock language model, answering each call with the next scripted step: a tool
 * call, or text. It records every call (`doGenerateCalls`): all that the model was sent.
 */
export function scriptedModel(steps: Step[]): MockLanguageModelV3 {
  const results: GenerateResult[] = steps.map((step, i) =>
    'toolCall' in step
      ? {
          content: [
            {
              type: 'tool-call',
              toolCallId: `call-${i + 1}`,
              toolName: step.toolCall.name,
              input: JSON.stringify(step.toolCall.input),
            },
          ],
          finishReason: { unified: 'tool-calls', raw: undefined },
          usage,
          warnings: [],
        }
      : {
          content: [{ type: 'text', text: step.text }],
          finishReason: { unified: 'stop', raw: undefined },
          usage,
          warnings: [],
        },
  );
  return new MockLanguageModelV3({ doGenerate: results });
}

/** The tool results the model was given in its `call`-th prompt (0-based), by tool name. */
export function toolResultsSeen(
  model: MockLanguageModelV3,
  call: number,
): Array<{ toolName: string; output: unknown }> {
  const prompt: Prompt = model.doGenerateCalls[call]?.prompt ?? [];
  const seen: Array<{ toolName: string; output: unknown }> = [];
  for (const message of prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content)
      if (part.type === 'tool-result') seen.push({ toolName: part.toolName, output: part.output });
  }
  return seen;
}

/** Everything the model was sent, over all calls: prompts, tool definitions, settings. */
export const everythingSent = (model: MockLanguageModelV3): string => JSON.stringify(model.doGenerateCalls);
