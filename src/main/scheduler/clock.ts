/**
 * The scheduler's two clocks. Slots are wall-clock instants (a schedule says "07:00 site
 * time"); waiting between ticks and renewing the lease use the monotonic clock, which a user
 * setting the date cannot move. Tests drive both by hand.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (may jump either way). */
  wallMs(): number;
  /** Monotonic milliseconds (only forwards; stops while the machine sleeps). */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

/** A clock for tests: sleep moves the wall only, a user's date change jumps the wall only. */
export class ManualClock implements Clock {
  private wall: number;
  private mono = 0;

  constructor(wallIso: string) {
    this.wall = Date.parse(wallIso);
  }

  wallMs(): number {
    return this.wall;
  }

  monotonicMs(): number {
    return this.mono;
  }

  /** Time passing while awake. */
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }

  /** The laptop asleep: the wall clock moves on, the monotonic one does not. */
  sleep(ms: number): void {
    this.wall += ms;
  }

  /** Someone sets the date (negative: backwards). */
  jumpWall(ms: number): void {
    this.wall += ms;
  }
}
