/** Escapes text for HTML. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The app's one page: the sign-in form, or the signed-in user and the flinkit widget. The
 * widget talks to `/flinkit` on the same origin, so the session cookie identifies the user:
 * no `data-token-url`.
 */
export function renderPage({ userId, nonce }: { userId: string | null; nonce: string }): string {
  const body = userId
    ? `<form method="post" action="/sign-out">
        <p>Signed in as <strong data-testid="user">${escapeHtml(userId)}</strong>
        <button type="submit">Sign out</button></p>
      </form>
      <div data-flinkit data-proxy-url="/flinkit"></div>
      <script src="/flinkit.js" nonce="${nonce}" async></script>`
    : `<form method="post" action="/sign-in">
        <label>Your name <input name="name" value="demo-user" required></label>
        <button type="submit">Sign in</button>
      </form>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>flinkit × Express</title>
    <style nonce="${nonce}">
      body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; padding: 0 1rem; }
      [data-flinkit] iframe { border: 1px solid #d0d7de; border-radius: 8px; height: 640px; width: 100%; }
    </style>
  </head>
  <body>
    <h1>Link your bank</h1>
    ${body}
  </body>
</html>`;
}
