// A stand-in for the app's own session, for the test of this snippet only: a real app reads
// its signed session cookie (NextAuth's auth(), iron-session, …). Never trust a bare cookie.
const sessions = new Map<string, string>();

/** Test helper: a session id whose cookie identifies `userId`. */
export function openSession(userId: string): string {
  const id = crypto.randomUUID();
  sessions.set(id, userId);
  return `session=${id}`;
}

/** The signed-in user's id, or null. */
export async function currentUserId(request: Request): Promise<string | null> {
  const id = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  return (id && sessions.get(id)) || null;
}
