// DOM and messaging helpers of the simulated Connect iframe.
export const params = new URLSearchParams(window.location.search);
export const flag = (name, fallback) => {
  const value = params.get(name);
  return value === null ? fallback : value === 'true';
};
export const post = (message) => {
  window.parent.postMessage(flag('stringify', false) ? JSON.stringify(message) : message, '*');
};

export const h = (tag, attributes, ...children) => {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'text') element.textContent = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child) element.append(child);
  return element;
};

export const withQuery = (base, fields) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value) query.set(key, value);
  const [path, hash] = base.split('#');
  const joined = `${path}${path.includes('?') ? '&' : '?'}${query}`;
  return hash === undefined ? joined : `${joined}#${hash}`;
};
