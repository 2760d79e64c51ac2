/** The one escaping function, for modules outside views/ (feeds): see views/html.ts. */
export { esc } from './views/html.js';
