import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's Python, which has python3-requests-oauthlib and python3-authlib (a pyenv python3 may not). */
export const PYTHON = '/usr/bin/python3';

export function sampleScript(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

export interface SampleRun {
  /** The first line the script printed: where it sends the user. */
  start: { authorization_url: string; state: string };
  /** The last line it printed, parsed. */
  result: Record<string, unknown>;
  stderr: string;
}

/**
 * Runs one of the Python samples as the partner's web app: it prints the authorization URL, `browse` plays the
 * user at Vetted and returns the callback URL, which goes back to the script on stdin; the script then prints
 * what it got from the token endpoint and the attributes API.
 */
export function runPythonSample(
  script: string,
  env: Record<string, string>,
  browse: (authorizationUrl: string) => Promise<string>,
  timeoutMs = 20_000,
): Promise<SampleRun> {
  return new Promise((resolve, reject) => {
    // A clean environment: no proxy settings, no PYTHONPATH from another Python.
    const child = spawn(PYTHON, ['-u', script], {
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    let start: SampleRun['start'] | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (start !== undefined) return;
      start = JSON.parse(line) as SampleRun['start'];
      browse(start.authorization_url).then(
        (callback) => child.stdin.end(`${callback}\n`),
        (error: unknown) => {
          child.kill('SIGKILL');
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = lines.at(-1);
      if (code !== 0 || start === undefined || last === undefined || lines.length < 2) {
        reject(
          new Error(`${script} exited with ${String(code)}; stdout: ${lines.join('\n')}; stderr: ${stderr}`),
        );
        return;
      }
      resolve({ start, result: JSON.parse(last) as Record<string, unknown>, stderr });
    });
  });
}
