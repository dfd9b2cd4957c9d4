/**
 * Text to roff (man(7) macros): escaping and the few constructs the man page uses.
 */

/**
 * Escapes text for a roff body line. Every `-` becomes `\-`: groff prints a bare `-` as a
 * typographic hyphen in UTF-8, and a flag copied from the page must stay `--flag`. Quotes and
 * backquotes likewise stay ASCII; a line starting with `.` or `'` would be read as a request.
 */
export function roffText(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const escaped = line
        .replaceAll("\\", "\\e")
        .replaceAll("-", "\\-")
        .replaceAll("'", "\\(aq")
        .replaceAll("`", "\\(ga");
      return escaped.startsWith(".") ? `\\&${escaped}` : escaped;
    })
    .join("\n");
}

/** Plain text in bold: commands, flags, file names. */
export function bold(text: string): string {
  return `\\fB${roffText(text)}\\fR`;
}

/** Plain text in italics: what the user replaces (TOPIC, FILE). */
export function italic(text: string): string {
  return `\\fI${roffText(text)}\\fR`;
}

/** A section heading (`.SH`); its text is upper case by convention. */
export function section(title: string): string {
  return `.SH ${roffText(title)}`;
}

/** A sub-section heading (`.SS`), quoted so that spaces stay in one argument. */
export function subsection(title: string): string {
  return `.SS "${roffText(title).replaceAll('"', "\\(dq")}"`;
}

/** A tagged paragraph: `tag` (already roff) on its own line, `body` indented below. */
export function taggedParagraph(tag: string, body: string): string {
  return `.TP\n${tag}\n${body}`;
}

/** A paragraph of plain text. */
export function paragraph(text: string): string {
  return `.PP\n${roffText(text)}`;
}

/** Lines shown as typed, unfilled and indented (a command line, a unit file). */
export function example(lines: string): string {
  return `.PP\n.RS 4\n.nf\n${roffText(lines)}\n.fi\n.RE`;
}
