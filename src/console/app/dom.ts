/** What an element builder accepts as a child: text is always set as text, never parsed as HTML. */
export type Child = Node | string | number | null | undefined | false | readonly Child[]

type Handler = (event: Event) => void
export type Props = Readonly<Record<string, string | number | boolean | Handler | null | undefined>>

// Set as properties (their live state), not attributes (their initial state).
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'readOnly', 'hidden', 'selected', 'open'])

function apply(element: Element, props: Props): void {
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.slice(2), value)
    else if (PROPERTIES.has(name)) (element as unknown as Record<string, unknown>)[name] = value
    else element.setAttribute(name, value === true ? '' : String(value))
  }
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else parent.appendChild(typeof child === 'object' ? (child as Node) : document.createTextNode(String(child)))
  }
}

/**
 * An HTML element with attributes, `on…` listeners and children. The console builds every node
 * this way: the page's Trusted Types policy forbids innerHTML, so API text can never become markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  apply(element, props)
  append(element, children)
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** An SVG element, built like `h`. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag)
  apply(element, props)
  append(element, children)
  return element
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

/** A fresh id for pairing labels, descriptions and errors with their controls. */
let counter = 0
export function uid(prefix: string): string {
  counter += 1
  return `${prefix}-${counter}`
}
