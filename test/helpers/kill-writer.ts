// A writer process killed with SIGKILL at a chosen moment: it prints a line for each thing it has
// made durable (after a first `ready`); once `minLines` have come and `extraMs` more have passed,
// it is killed. What it had reported is what must survive.
import { spawn } from 'node:child_process';

export function runAndKill(script: string, args: string[], minLines: number, extraMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: string[] = [];
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) if (line !== 'ready') reported.push(line);
      if (!timer && reported.length >= minLines) timer = setTimeout(() => child.kill('SIGKILL'), extraMs);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(failsafe);
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the writer stopped by itself (${signal ?? code}): ${err}`));
      else resolve(reported);
    });
  });
}
