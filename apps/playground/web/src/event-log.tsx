import type { ConnectEvent } from '@flinkit/core';

/** Extra fields of an event worth a glance (institution, MFA types, counts…), never a loginId. */
function details(event: ConnectEvent): string {
  const shown: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type' || key === 'step' || key === 'loginId' || key === 'url') continue;
    if (value === undefined || value === null || typeof value === 'object') continue;
    shown.push(`${key}: ${String(value)}`);
  }
  return shown.join(', ');
}

/** The iframe's steps as they arrive, newest last, announced politely to screen readers. */
export function EventLog({ events }: { events: readonly ConnectEvent[] }) {
  return (
    <section className="panel" aria-labelledby="event-log-heading">
      <h2 id="event-log-heading">Connect events</h2>
      {events.length === 0 ? (
        <p className="muted">The iframe's steps appear here as you go.</p>
      ) : (
        <ol className="event-log" aria-live="polite" data-testid="event-log">
          {events.map((event, index) => (
            // Events have no id; their position in this append-only list is stable.
            // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
            <li key={index}>
              <code>{event.type}</code> <span className="muted">{event.step}</span>
              {details(event) === '' ? null : (
                <span className="event-detail"> {details(event)}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
