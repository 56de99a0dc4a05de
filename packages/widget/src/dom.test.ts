import { describe, expect, it } from 'vitest';
import { elementBuilder, patch } from './dom.js';

const element = elementBuilder(document);

describe('elementBuilder', () => {
  it('sets the attributes given and leaves out undefined ones and empty children', () => {
    const paragraph = element('p', { class: 'x', title: undefined }, 'a', false, null, '', 'b');
    expect(paragraph.outerHTML).toBe('<p class="x">ab</p>');
  });

  it('nests elements and never writes a style attribute of its own', () => {
    const list = element('ul', {}, element('li', {}, element('span', {}, 'one')));
    expect(list.outerHTML).toBe('<ul><li><span>one</span></li></ul>');
    expect(list.querySelectorAll('[style]')).toHaveLength(0);
  });
});

describe('patch', () => {
  it('keeps a node that did not change, with its identity and focus', () => {
    const parent = document.body.appendChild(element('div'));
    patch(parent, [element('p', {}, 'Failed.'), element('button', { type: 'button' }, 'Retry')]);
    const button = parent.querySelector('button') as HTMLButtonElement;
    button.focus();
    patch(parent, [element('p', {}, 'Closed.'), element('button', { type: 'button' }, 'Retry')]);
    expect(parent.querySelector('button')).toBe(button);
    expect(document.activeElement).toBe(button);
    expect(parent.textContent).toBe('Closed.Retry');
    parent.remove();
  });

  it('changes only the text of an element whose tag and attributes stay', () => {
    const parent = element('div');
    patch(parent, [element('p', { role: 'timer' }, 'next check in 7 s')]);
    const timer = parent.firstChild;
    patch(parent, [element('p', { role: 'timer' }, 'next check in 6 s')]);
    expect(parent.firstChild).toBe(timer);
    expect(parent.innerHTML).toBe('<p role="timer">next check in 6 s</p>');
  });

  it('replaces an element whose tag or attributes differ, and removes the extra ones', () => {
    const parent = element('div');
    patch(parent, [element('p', {}, 'a'), element('progress'), element('p', {}, 'c')]);
    const first = parent.firstChild;
    patch(parent, [element('p', { class: 'flinkit-error' }, 'a')]);
    expect(parent.firstChild).not.toBe(first);
    expect(parent.innerHTML).toBe('<p class="flinkit-error">a</p>');
    patch(parent, []);
    expect(parent.childNodes).toHaveLength(0);
  });
});
