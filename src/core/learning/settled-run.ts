// Grading that follows a live cluster: many changes arrive together (a rollout writes dozens of
// objects), so work asked for is run once they have settled, and never twice at once; asked for
// while it runs, it runs once more after. Lessons' live grading and scenarios' live checks share it.
export class SettledRun {
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly settleMs: number,
  ) {}

  /** Runs the work settleMs from the first ask not yet served; later asks in that time join it. */
  request(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runNow();
    }, this.settleMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async runNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      await this.work();
    } finally {
      this.running = false;
      if (this.again && !this.stopped) {
        this.again = false;
        this.request();
      }
    }
  }
}
