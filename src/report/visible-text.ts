/**
 * Server-provided text (component and topic names, error messages, paths) made safe for a
 * terminal or a log: control characters become visible escapes, so a hostile server cannot clear
 * the screen, move the cursor or forge a line of ours ("dci-mirror: done") in what we print.
 */

/**
 * C0 (incl. \t \n \r ESC), DEL and C1 (U+0080–U+009F): what terminals act on rather than show;
 * plus the line and paragraph separators (log viewers break lines there) and the bidirectional
 * controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), which can make a line read
 * differently from the bytes it holds.
 */
const CONTROL_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const C1_AND_DEL = /[\u007f-\u009f]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function hex(character: string): string {
  return character.charCodeAt(0).toString(16).padStart(2, "0");
}

/**
 * One line of text with every control character shown as an escape (`\x1b`, `\n`, `\u009b`);
 * idempotent, so text already made visible passes through unchanged.
 */
export function visibleText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => {
    const named = NAMED_ESCAPES[character];
    if (named !== undefined) return named;
    // C1 as \u: a UTF-8 terminal may act on U+009B (CSI) even though it is not one byte.
    if (character < "\u0080") return `\\x${hex(character)}`;
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/**
 * JSON text whose strings carry no raw DEL or C1 character: JSON.stringify escapes C0 but writes
 * those as they are; `\u007f`…`\u009f` escapes keep the document valid and its values unchanged.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    C1_AND_DEL,
    (character) => `\\u00${hex(character)}`,
  );
}
