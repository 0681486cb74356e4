/**
 * Terraform's string templates, as pure functions (no cdktf): every string of a `*.tf.json` file is a template, in
 * which `${…}` is an interpolation and `%{…}` a directive, and `$${` and `%%{` are their escapes (Terraform: "JSON
 * Configuration Syntax"; "Strings and Templates"). The plan reader and the tests read the plan with them.
 */

/** Escapes the template sequences of a literal text: after Terraform reads it, the text is exactly `text`. */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);
}

/** A string of the plan as Terraform reads it: the text it stands for, and the interpolations and directives in it. */
export interface TemplateReading {
  /** The literal text, escapes resolved; each interpolation or directive is left out. */
  readonly text: string;
  /** Every `${…}` and `%{…}` Terraform would evaluate, as written. */
  readonly sequences: readonly string[];
}

/**
 * Reads a string of the plan as Terraform's template scanner does (`$${` and `%%{` are escapes; `${` and `%{` open an
 * interpolation or a directive that ends at its matching `}`). For the plan reader and the tests.
 */
export function readTemplate(value: string): TemplateReading {
  let text = '';
  const sequences: string[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if ((c === '$' || c === '%') && value[i + 1] === c && value[i + 2] === '{') {
      text += `${c}{`;
      i += 3;
    } else if ((c === '$' || c === '%') && value[i + 1] === '{') {
      let depth = 1;
      let j = i + 2;
      let quoted = false;
      for (; j < value.length && depth > 0; j++) {
        const d = value[j];
        if (quoted) {
          if (d === '\\') j++;
          else if (d === '"') quoted = false;
        } else if (d === '"') quoted = true;
        else if (d === '{') depth++;
        else if (d === '}') depth--;
      }
      sequences.push(value.slice(i, j));
      i = j;
    } else {
      text += c;
      i++;
    }
  }
  return { text, sequences };
}
