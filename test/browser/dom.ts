/**
 * The little of the DOM the browser suites touch inside page.evaluate(), typed by hand. The
 * project compiles without the "dom" lib (it is Node code, and that lib would also type every
 * other file's globals), so each suite declares `document` & co. module-locally with these
 * types; the callbacks run in Chromium, where the real globals exist.
 */

export interface DomRect {
  left: number;
  right: number;
  width: number;
}

export interface DomElement {
  tagName: string;
  id: string;
  className: unknown;
  textContent: string | null;
  outerHTML: string;
  getAttribute(name: string): string | null;
  getAttributeNames(): string[];
  getBoundingClientRect(): DomRect;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

export interface DomDetails extends DomElement {
  open: boolean;
}

export interface DomInput extends DomElement {
  labels: ArrayLike<DomElement> | null;
}

export interface DomScript extends DomElement {
  src: string;
}

export interface DomImage extends DomElement {
  src: string;
}

export interface DomDocument {
  documentElement: DomElement & { clientWidth: number; scrollWidth: number };
  body: DomElement;
  activeElement: DomElement | null;
  scripts: ArrayLike<DomScript>;
  images: ArrayLike<DomImage>;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

export interface DomStyle {
  backgroundColor: string;
  color: string;
}

export type GetComputedStyle = (el: DomElement) => DomStyle;
