// What a `miroir ctl` command runs with: its parsed arguments, the screen it
// writes progress to (stdout; whether it is a terminal decides between
// redrawing in place and plain lines), and a sleep for polling.
import type { Args } from './args.ts';

export interface Screen {
  readonly isTTY: boolean;
  write(text: string): void;
}

export interface Ctx {
  args: Args;
  screen: Screen;
  sleep(ms: number): Promise<void>;
}

/** A command: resolves with what to print last ('' for nothing); throws CtlError for exit code 1. */
export type Command = (ctx: Ctx) => Promise<string>;

/**
 * A frame shown again and again (--watch, --wait): on a terminal each frame
 * replaces the previous one in place; elsewhere (a pipe, a log) a frame is
 * printed as plain lines only when it differs from the last one.
 */
export class LiveView {
  readonly #screen: Screen;
  #lines = 0;
  #last: string | null = null;

  constructor(screen: Screen) {
    this.#screen = screen;
  }

  show(frame: string): void {
    if (frame === this.#last) return;
    this.#last = frame;
    // Cursor up over the previous frame, then clear to the end of the screen.
    if (this.#screen.isTTY && this.#lines > 0) this.#screen.write(`\x1b[${this.#lines}A\x1b[J`);
    this.#screen.write(`${frame}\n`);
    this.#lines = frame.split('\n').length;
  }
}
