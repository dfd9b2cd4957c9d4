/**
 * Server-provided text (component and topic names, error messages, paths) made safe for a
 * terminal or a log: control characters become visible escapes, so a hostile server cannot clear
 * the screen, move the cursor or forge a line of ours ("dci-mirror: done") in what we print.
 */

/** C0 (incl. \t \n \r ESC), DEL and C1 (U+0080–U+009F): what terminals act on rather than show. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
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
    return character < "\u0080" ? `\\x${hex(character)}` : `\\u00${hex(character)}`;
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
