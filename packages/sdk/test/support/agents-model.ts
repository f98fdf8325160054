import type { Model, ModelProvider, ModelRequest, ModelResponse } from '@openai/agents';
import { Usage } from '@openai/agents';

export type Step = { toolCall: { name: string; input: Record<string, unknown> } } | { text: string };

/**
 * A Model for the OpenAI Agents SDK that answers each request with the next scripted step (a
 * function call, or a final message), through the SDK's own ModelProvider interface — the fake
 * model provider its tests use. It records every request: all that the model was sent.
 */
export class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];
  private step = 0;

  constructor(private readonly script: Step[]) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const n = this.step++;
    const step = this.script[n] ?? { text: '' };
    const output: ModelResponse['output'] =
      'text' in step
        ? [
            {
              type: 'message',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: step.text }],
            },
          ]
        : [
            {
              type: 'function_call',
              callId: `call-${n + 1}`,
              name: step.toolCall.name,
              arguments: JSON.stringify(step.toolCall.input),
              status: 'completed',
            },
          ];
    return { usage: new Usage(), output };
  }

  // biome-ignore lint/correctness/useYield: the scripted model does not stream.
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error('ScriptedModel does not stream');
  }

  /** The tool outputs the model was sent in its `call`-th request (0-based), parsed. */
  toolResultsSeen(call: number): Array<Record<string, unknown>> {
    const input = this.requests[call]?.input;
    if (!Array.isArray(input)) return [];
    return input
      .filter((item) => item.type === 'function_call_result')
      .map((item) => {
        const output = (item as { output: unknown }).output;
        const text =
          typeof output === 'string' ? output : ((output as { type: string; text?: string }).text ?? '');
        return JSON.parse(text) as Record<string, unknown>;
      });
  }

  everythingSent(): string {
    return JSON.stringify(this.requests);
  }
}

export const providerOf = (model: Model): ModelProvider => ({ getModel: () => model });
