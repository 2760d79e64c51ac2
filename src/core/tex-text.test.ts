import { describe, expect, it } from 'vitest';
import { textRuns, withoutTextCommands, type TextRun } from './tex-text.js';

const run = (text: string, styles: TextRun['styles'] = [], href: string | null = null): TextRun => ({ text, styles, href });

describe('textRuns', () => {
  it('leaves plain text as one run, with TeX escapes undone', () => {
    expect(textRuns('50\\% of R\\&D uses snake\\_case')).toEqual([run('50% of R&D uses snake_case')]);
  });

  it('turns text commands into styles, nested ones too', () => {
    expect(textRuns('a \\emph{very} \\textbf{bold \\textit{claim}}, \\texttt{code} and \\textsc{Caps}')).toEqual([
      run('a '),
      run('very', ['em']),
      run(' '),
      run('bold ', ['strong']),
      run('claim', ['strong', 'em']),
      run(', '),
      run('code', ['code']),
      run(' and '),
      run('Caps', ['smallcaps']),
    ]);
    expect(textRuns('\\textbf{a {nested} group}')).toEqual([run('a {nested} group', ['strong'])]);
  });

  it('shows the text of font, box and colour commands, without the command', () => {
    expect(textRuns('at \\emph{\\textcolor{magenta}{https://github.com/x/y}} and \\textrm{plain}')).toEqual([
      run('at '),
      run('https://github.com/x/y', ['em'], 'https://github.com/x/y'),
      run(' and plain'),
    ]);
  });

  it('leaves unknown commands and unclosed braces as written', () => {
    expect(textRuns('\\cite{x} and \\textbf{open')).toEqual([run('\\cite{x} and \\textbf{open')]);
    expect(textRuns('\\textbf{}')).toEqual([]);
  });

  it('makes links of \\url, \\href and bare http(s) addresses, the sentence’s punctuation left out', () => {
    expect(textRuns('Code: \\url{https://github.com/a/b\\_c}.')).toEqual([run('Code: '), run('https://github.com/a/b_c', [], 'https://github.com/a/b_c'), run('.')]);
    expect(textRuns('see \\href{https://x.org/p}{our \\textbf{page}}!')).toEqual([
      run('see '),
      run('our ', [], 'https://x.org/p'),
      run('page', ['strong'], 'https://x.org/p'),
      run('!'),
    ]);
    expect(textRuns('Data at https://x.org/d_1. More (see https://y.org/a). And https://en.wikipedia.org/wiki/F_(G), too')).toEqual([
      run('Data at '),
      run('https://x.org/d_1', [], 'https://x.org/d_1'),
      run('. More (see '),
      run('https://y.org/a', [], 'https://y.org/a'),
      run('). And '),
      run('https://en.wikipedia.org/wiki/F_(G)', [], 'https://en.wikipedia.org/wiki/F_(G)'),
      run(', too'),
    ]);
  });

  it('links only to http(s) addresses', () => {
    expect(textRuns('\\href{javascript:alert(1)}{click}')).toEqual([run('click')]);
    expect(textRuns('\\url{ftp://x.org/f} and http:// alone')).toEqual([run('ftp://x.org/f and http:// alone')]);
    // a quote or an angle bracket ends an address: it can't break out of the attribute
    expect(textRuns('https://x.org/"onmouseover=alert(1)')[0]).toEqual(run('https://x.org/', [], 'https://x.org/'));
  });
});

describe('withoutTextCommands', () => {
  it('keeps what commands show, and the math, escaped dollars and paragraphs as written', () => {
    expect(withoutTextCommands('We propose \\textbf{Foo} ($x \\in \\mathbb{R}$), code at \\href{https://a.org}{our site}.\n\nIt costs \\$5 \\emph{per} run.')).toBe(
      'We propose Foo ($x \\in \\mathbb{R}$), code at our site.\n\nIt costs \\$5 per run.',
    );
    expect(withoutTextCommands('no commands: 50% of $x$')).toBe('no commands: 50% of $x$');
  });
});
