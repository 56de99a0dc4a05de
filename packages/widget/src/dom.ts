/** Attributes of an element: a string is set as is, `undefined` leaves it out. */
export type Attributes = Record<string, string | undefined>;

/** A child of an element: a node or a text; `false`, `null`, `undefined` and `''` are left out. */
export type Child = Node | string | false | null | undefined;

/** Builds an element with its attributes and children (what JSX would, without a framework). */
export type ElementBuilder = (
  tag: string,
  attributes?: Attributes,
  ...children: Child[]
) => Element;

/**
 * The element builder of `document`: `element('p', { class: 'x' }, 'text')`. Attributes only,
 * no inline `style` and no event handlers, so everything it makes passes a strict CSP.
 */
export function elementBuilder(document: Document): ElementBuilder {
  return (tag, attributes = {}, ...children) => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== undefined) element.setAttribute(name, value);
    }
    element.append(...children.filter((child): child is Node | string => !!child));
    return element;
  };
}

/**
 * Makes the children of `parent` look like `next`, changing only what differs: a node with the
 * same tag and attributes as the one in its place is kept and its own children are patched in
 * turn, so a focused button keeps the focus and a countdown only changes its text. Other nodes
 * are replaced by those of `next`; extra ones are removed. A kept node keeps its listeners.
 */
export function patch(parent: Node, next: readonly Node[]): void {
  next.forEach((node, index) => {
    const old = parent.childNodes[index];
    if (!old) parent.appendChild(node);
    else if (old.cloneNode(false).isEqualNode(node.cloneNode(false))) {
      patch(old, [...node.childNodes]);
    } else parent.replaceChild(node, old);
  });
  while (parent.childNodes.length > next.length) parent.lastChild?.remove();
}
