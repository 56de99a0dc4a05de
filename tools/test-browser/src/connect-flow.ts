import type { FrameLocator } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A security question with its prompt in both languages: the shape of the simulator's
 * `SECURITY_QUESTIONS`, which callers pass in. (Importing them here would make
 * `@flinkit/simulator` and this package depend on each other, a cycle `turbo run build` refuses.)
 */
export interface KnownQuestion {
  en: string;
  fr: string;
  answer: string;
}

/** The password of every test login of the simulator. */
const PASSWORD = 'Everyday';

/** The most security questions a login asks before the flow is considered looping. */
const MAX_QUESTIONS = 5;

function answerFor(questions: readonly KnownQuestion[], prompt: string): string {
  const question = questions.find((item) => item.en === prompt || item.fr === prompt);
  if (question === undefined) throw new Error(`No known answer to "${prompt}".`);
  return question.answer;
}

/**
 * Signs in past the consent screen of the simulator's Connect iframe: picks FlinksCapital, then
 * submits `username` with the password `Everyday`. For a test that checks something between the
 * consent and the sign-in; otherwise use {@link linkInConnect}.
 */
export async function signInToConnect(frame: FrameLocator, username: string): Promise<void> {
  await frame.getByTestId('institution-FlinksCapital').click();
  await frame.getByTestId('username').fill(username);
  await frame.getByTestId('password').fill(PASSWORD);
  await frame.getByTestId('submit-credentials').click();
}

/**
 * Walks the simulator's Connect iframe as a person would: accepts the consent, picks
 * FlinksCapital, and submits `username` with the password `Everyday`. A login with security
 * questions (`Greatday`) then waits for {@link answerMfa}.
 */
export async function linkInConnect(frame: FrameLocator, username: string): Promise<void> {
  await frame.getByTestId('consent-accept').click();
  await signInToConnect(frame, username);
}

/**
 * Answers the security questions (Greatday) from `questions` (pass the simulator's
 * `SECURITY_QUESTIONS`) until no question is left; returns how many. The last answer links, and
 * the page may then remove the iframe, so "no question" is done.
 */
export async function answerMfa(
  frame: FrameLocator,
  questions: readonly KnownQuestion[],
): Promise<number> {
  const question = frame.getByTestId('mfa-question');
  await question.waitFor({ timeout: 15_000 });
  let answered = 0;
  while ((await question.count()) > 0) {
    if (answered >= MAX_QUESTIONS) {
      throw new Error(`More than ${MAX_QUESTIONS} security questions: the flow is looping.`);
    }
    const prompt = (await question.textContent()) ?? '';
    await frame.getByTestId('mfa-answer').fill(answerFor(questions, prompt));
    await frame.getByTestId('submit-mfa').click();
    answered += 1;
    // The iframe replaces the form once the answer is checked: another question, or success.
    await expect
      .poll(async () => ((await question.count()) === 0 ? '' : await question.textContent()), {
        timeout: 15_000,
      })
      .not.toBe(prompt);
  }
  return answered;
}
