'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE, signSession } from '../lib/session';

/** Signs in as the name typed in the form (the example has no passwords). */
export async function signIn(form: FormData): Promise<void> {
  const name = String(form.get('name') ?? '').trim();
  if (!/^[\w.-]{1,64}$/.test(name)) redirect('/?error=name');
  (await cookies()).set(SESSION_COOKIE, signSession(name), {
    httpOnly: true,
    sameSite: 'lax',
    // Browsers take Secure cookies from http://localhost too.
    secure: process.env.NODE_ENV === 'production',
    path: '/',
  });
  redirect('/');
}

/** Forgets the session cookie. */
export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/');
}
