/** A KQL string literal: KQL reads a double-quoted string with JSON's escapes. */
export function kqlString(value: string): string {
  return JSON.stringify(value);
}
