// A one-time notice carried across a navigation ("已保存" after a form jumps to the record):
// set before route(), taken once by the next screen, so a later reload does not repeat it.
import { signal } from '@preact/signals';

const pending = signal<string | undefined>(undefined);

export function setFlash(message: string): void {
  pending.value = message;
}

export function takeFlash(): string | undefined {
  const message = pending.value;
  pending.value = undefined;
  return message;
}
