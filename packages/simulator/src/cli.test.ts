import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

describe('flinkit-simulator CLI', () => {
  it('prints the API URL, a ready iframe URL and the credentials, serves them, and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@flinkit/source', cli, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Ctrl-C')) resolve();
        });
        child.on('exit', () => reject(new Error(`CLI exited early: ${output}`)));
      });
      expect(output).toContain('Everyday');
      expect(output).toContain('greatday_nomfa');
      const api = /API base URL\s+(\S+)/.exec(output)?.[1] ?? '';
      const iframe = /iframe\s+(\S+)/.exec(output)?.[1] ?? '';
      expect(api).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/v3\/43387ca6-0391-4c82-857d-70d95f087ecb\/BankingServices$/,
      );
      expect(new URL(iframe).searchParams.get('demo')).toBe('true');
      const token = await fetch(`${api}/GenerateAuthorizeToken`, {
        method: 'POST',
        headers: { 'flinks-auth-key': 'c4569c54-e167-4d34-8de6-f4113bc82414' },
      });
      expect(token.status).toBe(200);
      expect((await fetch(iframe)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 30_000);
});
