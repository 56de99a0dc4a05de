import { cookies } from 'next/headers';
import { readSession, SESSION_COOKIE } from '../lib/session';
import { signIn, signOut } from './actions';
import { LinkBank } from './link-bank';

export default async function Home({
  searchParams,
}: {
  searchParams: Promise<{ error?: string }>;
}) {
  const userId = readSession((await cookies()).get(SESSION_COOKIE)?.value);
  if (!userId) {
    const { error } = await searchParams;
    return (
      <main>
        <h1>Link your bank</h1>
        <form action={signIn}>
          <label>
            Your name <input name="name" defaultValue="demo-user" required />
          </label>{' '}
          <button type="submit">Sign in</button>
        </form>
        {error === 'name' && <p className="error">Use letters, digits, dots or dashes.</p>}
      </main>
    );
  }
  return (
    <main>
      <h1>Link your bank</h1>
      <form action={signOut}>
        <p>
          Signed in as <strong data-testid="user">{userId}</strong>{' '}
          <button type="submit">Sign out</button>
        </p>
      </form>
      <LinkBank />
    </main>
  );
}
