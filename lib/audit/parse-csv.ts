/**
 * A strict-enough RFC 4180 reader (quoted cells, doubled quotes, CRLF or LF line ends) for reading back
 * the product's own CSV exports, e.g. when a saved export is verified as a witness.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endRow = () => {
    row.push(cell);
    rows.push(row);
    row = [];
    cell = "";
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      endRow();
      i += 1;
    } else if (c === "\n") endRow();
    else cell += c;
  }
  if (cell !== "" || row.length) endRow();
  return rows;
}
