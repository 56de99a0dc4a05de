import type { ReactNode } from 'react';

/** Header, navigation and main landmark shared by the React pages. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <a className="brand" href="/">
          flinkit playground
        </a>
        <nav aria-label="Demos">
          <a href="/">Connections</a>
          <a href="/react/">React demo</a>
          <a href="/script-tag.html">Script-tag demo</a>
        </nav>
      </header>
      <main id="main">
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}

/** The simulator's (and Toolbox's) test logins. */
export function Credentials() {
  return (
    <section className="panel" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">Test credentials</h2>
      <p>
        In Connect, pick <strong>FlinksCapital</strong>. The password is always{' '}
        <code>Everyday</code>.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">What happens</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <code>greatday_nomfa</code>
            </td>
            <td>Links at once</td>
          </tr>
          <tr>
            <td>
              <code>Greatday</code>
            </td>
            <td>
              Security questions: city → <code>Montreal</code>, country → <code>Canada</code>, shape
              → <code>Triangle</code>
            </td>
          </tr>
          <tr>
            <td>
              <code>test_disabled_account</code>
            </td>
            <td>Fails with DISABLED_LOGIN (try Retry)</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
