// Prints the widget's DOM events. They bubble, so one listener per type on the document is
// enough; this runs before flinkit.js so even `flinkit:ready` is caught.
(() => {
  const types = ['ready', 'linked', 'progress', 'complete', 'error', 'exit'];
  const log = document.getElementById('event-log');

  function summary(type, detail) {
    if (detail === null || typeof detail !== 'object') return '';
    if (type === 'linked') return `institution: ${detail.institution ?? '—'}`;
    if (type === 'progress') return `status: ${detail.status}, attempt: ${detail.attempt}`;
    if (type === 'complete') {
      const accounts = detail.accounts;
      const list = accounts?.accounts ?? accounts?.payload?.Accounts;
      return `status: ${detail.connection?.status}, accounts: ${Array.isArray(list) ? list.length : '—'}`;
    }
    if (type === 'error') return `${detail.code}: ${detail.message}`;
    if (type === 'exit') return `status: ${detail.status}, step: ${detail.step ?? '—'}`;
    return '';
  }

  for (const type of types) {
    document.addEventListener(`flinkit:${type}`, (event) => {
      const item = document.createElement('li');
      const name = document.createElement('code');
      name.textContent = `flinkit:${type}`;
      const time = document.createElement('span');
      time.className = 'muted';
      time.textContent = ` ${new Date().toLocaleTimeString()} `;
      const widget = event.target.id === 'widget-modal' ? '(modal) ' : '';
      item.append(name, time, widget, summary(type, event.detail));
      item.dataset.type = `flinkit:${type}`;
      log.append(item);
    });
  }
})();
