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
  const members = usable.map((relation) => [relation.total, ...relation.parts]);
  for (;;) {
    let changed = false;
    // 1. No relation may have exactly one unknown member (it would be its total minus the others).
    usable.forEach((relation, position) => {
      let unknown = 0;
      for (const member of members[position]) {
        if (suppressed.has(member) && ++unknown > 1) {
          return;
        }
      }
      if (unknown === 1) {
        suppressed.add(complement(relation, cells, suppressed));
        changed = true;
      }
    });
    if (changed) {
      continue;
    }
    // 2. No withheld cell may follow from several relations together.
    const disclosed = recomputable(cells, usable, suppressed);
    if (disclosed.size === 0) {
      return suppressed;
    }
    const open = (candidate: Relation) =>
      [candidate.total, ...candidate.parts].some((member) => !suppressed.has(member));
    const touches = (candidate: Relation) =>
      [candidate.total, ...candidate.parts].some((member) => suppressed.has(member));
    const bySize = (left: Relation, right: Relation) => left.parts.length - right.parts.length;
    let added = false;
    for (const cell of [...disclosed].sort()) {
      // A relation of the revealed cell that still publishes something, else any relation that links
      // a withheld cell to a published one (the cell was revealed through such a chain).
      const relation =
        usable
          .filter((candidate) => open(candidate) && [candidate.total, ...candidate.parts].includes(cell))
          .sort(bySize)[0] ??
        usable.filter((candidate) => open(candidate) && touches(candidate)).sort(bySize)[0];
      if (relation) {
        suppressed.add(complement(relation, cells, suppressed));
        added = true;
      }
    }
    if (!added) {
      return suppressed;
    }
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
 * determine uniquely. Whether a cell is determined does not depend on the published values, only on
 * which cells are withheld: the relations become equations over the withheld cells, split into
 * independent groups (cells linked by shared equations); a group with one equation determines a cell
 * only when it is the equation's sole unknown, larger groups are brought to reduced row echelon form
 * (Gauss–Jordan) and a cell is determined when a row has it alone. Also the test's attack.
 */
export function recomputable(
  cells: CountTable,
  relations: readonly Relation[],
  suppressed: ReadonlySet<string>,
): Set<string> {
  const unknowns = [...suppressed].filter((id) => cells.has(id)).sort();
  const index = new Map(unknowns.map((id, position) => [id, position]));
  const equations: Map<number, number>[] = [];
  for (const relation of relations) {
    if (!cells.has(relation.total) || !relation.parts.every((part) => cells.has(part))) {
      continue;
    }
    // total − Σ parts = (known members): only the unknowns' coefficients matter.
    const equation = new Map<number, number>();
    const add = (id: string, sign: number) => {
      const position = index.get(id);
      if (position !== undefined) {
        equation.set(position, (equation.get(position) ?? 0) + sign);
      }
    };
    add(relation.total, 1);
    relation.parts.forEach((part) => add(part, -1));
    for (const [position, coefficient] of equation) {
      if (coefficient === 0) {
        equation.delete(position);
      }
    }
    if (equation.size > 0) {
      equations.push(equation);
    }
  }
  const found = new Set<string>();
  for (const group of groups(equations, unknowns.length)) {
    if (group.length === 1) {
      const [equation] = group;
      if (equation.size === 1) {
        found.add(unknowns[[...equation.keys()][0]]);
      }
      continue;
    }
    for (const position of determined(group)) {
      found.add(unknowns[position]);
    }
  }
  return found;
}

/** Equations that share unknowns, transitively (union–find over the unknowns). */
function groups(equations: Map<number, number>[], size: number): Map<number, number>[][] {
  const parent = Array.from({ length: size }, (_value, position) => position);
  const root = (position: number): number => {
    while (parent[position] !== position) {
      parent[position] = parent[parent[position]];
      position = parent[position];
    }
    return position;
  };
  for (const equation of equations) {
    const [first, ...rest] = equation.keys();
    for (const other of rest) {
      parent[root(other)] = root(first);
    }
  }
  const byRoot = new Map<number, Map<number, number>[]>();
  for (const equation of equations) {
    const key = root(equation.keys().next().value as number);
    byRoot.set(key, [...(byRoot.get(key) ?? []), equation]);
  }
  return [...byRoot.values()];
}

/** The unknowns a group of equations determines (dense Gauss–Jordan over the group's unknowns only). */
function determined(equations: Map<number, number>[]): number[] {
  const variables = [...new Set(equations.flatMap((equation) => [...equation.keys()]))].sort((a, b) => a - b);
  const column = new Map(variables.map((variable, position) => [variable, position]));
  const width = variables.length;
  const rows = equations.map((equation) => {
    const row = new Float64Array(width);
    for (const [variable, coefficient] of equation) {
      row[column.get(variable)!] = coefficient;
    }
    return row;
  });
  const pivots: { row: Float64Array; column: number }[] = [];
  let next = 0;
  for (let c = 0; c < width && next < rows.length; c += 1) {
    let pivot = -1;
    for (let candidate = next; candidate < rows.length; candidate += 1) {
      if (rows[candidate][c] !== 0) {
        pivot = candidate;
        break;
      }
    }
    if (pivot < 0) {
      continue;
    }
    [rows[next], rows[pivot]] = [rows[pivot], rows[next]];
    const lead = rows[next];
    const scale = lead[c];
    // The pivot row is sparse (a relation names few withheld cells): work on its non-zeros only.
    const nonZero: number[] = [];
    for (let k = 0; k < width; k += 1) {
      if (lead[k] !== 0) {
        lead[k] /= scale;
        nonZero.push(k);
      }
    }
    for (let other = 0; other < rows.length; other += 1) {
      const row = rows[other];
      const factor = row[c];
      if (other !== next && factor !== 0) {
        for (const k of nonZero) {
          const value = row[k] - factor * lead[k];
          row[k] = Math.abs(value) < EPSILON ? 0 : value;
        }
      }
    }
    pivots.push({ row: lead, column: c });
    next += 1;
  }
  return pivots
    .filter(({ row, column: c }) => row.every((value, k) => k === c || value === 0))
    .map(({ column: c }) => variables[c]);
}

const EPSILON = 1e-9;
