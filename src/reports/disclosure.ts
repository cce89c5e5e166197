/**
 * Disclosure control for figures that leave the offices (coordinators' reports): pure functions over
 * a table of counts and the linear relations the published table reveals (a total is the sum of its
 * parts). See docs/reports.md, "Disclosure control".
 *
 * - Primary suppression: a count from 1 to `minCell − 1` is withheld.
 * - Secondary suppression: further counts are withheld until no withheld count can be recomputed
 *   from the published ones — not by subtracting within one relation (row or column totals), and
 *   not by combining several relations (checked by solving the equation system exactly).
 */

/** A published total and the cells it is the sum of (all of them cells of the same table). */
export interface Relation {
  total: string;
  parts: readonly string[];
}

/** Cell id → count. */
export type CountTable = ReadonlyMap<string, number>;

/** The cells whose count is from 1 to `minCell − 1`. */
export function primarySuppression(cells: CountTable, minCell: number): Set<string> {
  const suppressed = new Set<string>();
  for (const [id, value] of cells) {
    if (value >= 1 && value < minCell) {
      suppressed.add(id);
    }
  }
  return suppressed;
}

/**
 * Primary and secondary suppression: the ids of every cell to withhold. Relations whose members are
 * not all in `cells` are ignored (a member that is not published is no information).
 */
export function suppress(cells: CountTable, relations: readonly Relation[], minCell: number): Set<string> {
  const usable = relations.filter(
    (relation) => cells.has(relation.total) && relation.parts.every((part) => cells.has(part)),
  );
  const suppressed = primarySuppression(cells, minCell);
  if (suppressed.size === 0) {
    return suppressed;
  }
  for (;;) {
    let changed = false;
    // 1. No relation may have exactly one unknown member (it would be its total minus the others).
    for (const relation of usable) {
      const members = [relation.total, ...relation.parts];
      if (members.filter((member) => suppressed.has(member)).length === 1) {
        suppressed.add(complement(relation, cells, suppressed));
        changed = true;
      }
    }
    if (changed) {
      continue;
    }
    // 2. No withheld cell may follow from several relations together.
    const disclosed = recomputable(cells, usable, suppressed);
    if (disclosed.size === 0) {
      return suppressed;
    }
    const [cell] = [...disclosed].sort();
    const open = (candidate: Relation) =>
      [candidate.total, ...candidate.parts].some((member) => !suppressed.has(member));
    const touches = (candidate: Relation) =>
      [candidate.total, ...candidate.parts].some((member) => suppressed.has(member));
    const bySize = (left: Relation, right: Relation) => left.parts.length - right.parts.length;
    // A relation of the revealed cell that still publishes something, else any relation that links a
    // withheld cell to a published one (the cell was revealed through such a chain).
    const relation =
      usable
        .filter((candidate) => open(candidate) && [candidate.total, ...candidate.parts].includes(cell))
        .sort(bySize)[0] ??
      usable.filter((candidate) => open(candidate) && touches(candidate)).sort(bySize)[0];
    if (!relation) {
      return suppressed;
    }
    suppressed.add(complement(relation, cells, suppressed));
  }
}

/**
 * The published member of `relation` to withhold next: the smallest positive part (the least
 * information lost), else a zero part, else the total.
 */
function complement(relation: Relation, cells: CountTable, suppressed: ReadonlySet<string>): string {
  const open = relation.parts.filter((part) => !suppressed.has(part));
  const positive = open.filter((part) => (cells.get(part) ?? 0) > 0);
  const pool = positive.length > 0 ? positive : open;
  if (pool.length > 0) {
    return [...pool].sort(
      (left, right) => (cells.get(left) ?? 0) - (cells.get(right) ?? 0) || left.localeCompare(right),
    )[0];
  }
  return relation.total;
}

/**
 * What an attacker recovers: the withheld cells whose value the published cells and the relations
 * determine uniquely (Gauss–Jordan elimination over the unknowns; exact, the coefficients are
 * small integers). Also the test's attack.
 */
export function recomputable(
  cells: CountTable,
  relations: readonly Relation[],
  suppressed: ReadonlySet<string>,
): Set<string> {
  const unknowns = [...suppressed].filter((id) => cells.has(id)).sort();
  const index = new Map(unknowns.map((id, position) => [id, position]));
  const rows: number[][] = [];
  for (const relation of relations) {
    if (!cells.has(relation.total) || !relation.parts.every((part) => cells.has(part))) {
      continue;
    }
    const row = new Array<number>(unknowns.length + 1).fill(0);
    let touches = false;
    // total − Σ parts = 0, known members moved to the right-hand side.
    const terms: [string, number][] = [
      [relation.total, 1],
      ...relation.parts.map((part): [string, number] => [part, -1]),
    ];
    for (const [id, sign] of terms) {
      const position = index.get(id);
      if (position === undefined) {
        row[unknowns.length] -= sign * (cells.get(id) ?? 0);
      } else {
        row[position] += sign;
        touches = true;
      }
    }
    if (touches) {
      rows.push(row);
    }
  }
  const pivots = gaussJordan(rows, unknowns.length);
  const found = new Set<string>();
  for (const { row, column } of pivots) {
    const others = row
      .slice(0, unknowns.length)
      .some((value, position) => position !== column && value !== 0);
    if (!others) {
      found.add(unknowns[column]);
    }
  }
  return found;
}

/** Reduced row echelon form in place; the pivot rows with their pivot column. */
function gaussJordan(rows: number[][], columns: number): { row: number[]; column: number }[] {
  const pivots: { index: number; column: number }[] = [];
  let next = 0;
  for (let column = 0; column < columns && next < rows.length; column += 1) {
    let pivot = -1;
    for (let candidate = next; candidate < rows.length; candidate += 1) {
      if (Math.abs(rows[candidate][column]) > EPSILON) {
        pivot = candidate;
        break;
      }
    }
    if (pivot < 0) {
      continue;
    }
    [rows[next], rows[pivot]] = [rows[pivot], rows[next]];
    const lead = rows[next][column];
    rows[next] = rows[next].map((value) => value / lead);
    for (let other = 0; other < rows.length; other += 1) {
      if (other !== next && Math.abs(rows[other][column]) > EPSILON) {
        const factor = rows[other][column];
        rows[other] = rows[other].map((value, position) => clean(value - factor * rows[next][position]));
      }
    }
    pivots.push({ index: next, column });
    next += 1;
  }
  return pivots.map(({ index, column }) => ({ row: rows[index], column }));
}

const EPSILON = 1e-9;

function clean(value: number): number {
  return Math.abs(value) < EPSILON ? 0 : value;
}
