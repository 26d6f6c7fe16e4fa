/**
 * HTML built from templates whose interpolations are escaped unless already built
 * here: every text from the report is a run's or a user's, and one unescaped `<` in a
 * note would break (or script) the page. Escaping is the default, not a step to remember.
 *
 * The tag is `markup`, not `html`: Prettier reformats templates tagged `html` as HTML,
 * adding line breaks and indentation inside the page's text and SVG titles.
 */

/** Markup made by `markup` (or trusted constant markup); interpolated as it is. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** Text for element content and for quoted attribute values alike. */
const escapeHtml = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

type Interpolation =
  SafeHtml | string | number | null | undefined | false | readonly Interpolation[];

function interpolate(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(String(value));
}

/** A template of markup: strings and numbers are escaped, SafeHtml and arrays of it are not. */
export function markup(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let text = strings[0];
  values.forEach((value, index) => {
    text += interpolate(value) + strings[index + 1];
  });
  return new SafeHtml(text);
}
