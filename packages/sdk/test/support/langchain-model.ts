import type { BaseMessage } from '@langchain/core/messages';
import { AIMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { FakeListChatModel } from '@langchain/core/utils/testing';

export type Step = { toolCall: { name: string; args: Record<string, unknown> } } | { text: string };

/**
 * @langchain/core's FakeListChatModel, answering each call with the next scripted step: a tool call
 * (which the stock fake cannot make), or text. It records what it was sent and the tools bound to it.
 */
export class ScriptedChatModel extends FakeListChatModel {
  readonly calls: BaseMessage[][] = [];
  bound: StructuredToolInterface[] = [];
  private step = 0;

  constructor(private readonly script: Step[]) {
    super({ responses: script.map((s) => ('text' in s ? s.text : '')) });
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.calls.push(messages);
    const step = this.script[this.step++] ?? { text: '' };
    const message =
      'text' in step
        ? new AIMessage(step.text)
        : new AIMessage({
            content: '',
            tool_calls: [{ id: `call-${this.step}`, name: step.toolCall.name, args: step.toolCall.args }],
          });
    return { generations: [{ message, text: 'text' in step ? step.text : '' }] };
  }

  // biome-ignore lint/suspicious/noExplicitAny: the base class's signature.
  override bindTools(tools: any[]): any {
    this.bound = tools as StructuredToolInterface[];
    return this;
  }

  /** The tool messages the model was sent in its `call`-th call (0-based), parsed. */
  toolResultsSeen(call: number): Array<{ name: string | undefined; content: Record<string, unknown> }> {
    return (this.calls[call] ?? [])
      .filter((m) => m.getType() === 'tool')
      .map((m) => ({
        name: (m as BaseMessage & { name?: string }).name,
        content: JSON.parse(String(m.content)) as Record<string, unknown>,
      }));
  }

  everythingSent(): string {
    return JSON.stringify(this.calls);
  }
}
