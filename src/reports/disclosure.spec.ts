import fc from 'fast-check';
import { primarySuppression, recomputable, suppress, type Relation } from './disclosure';

/** A rows × columns table of counts with its column totals (a totals row) and row totals. */
function table(values: number[][]): { cells: Map<string, number>; relations: Relation[] } {
  const cells = new Map<string, number>();
  const relations: Relation[] = [];
  const columns = values[0].length;
  values.forEach((row, r) => {
    row.forEach((value, c) => cells.set(`${r}:${c}`, value));
    cells.set(
      `${r}:T`,
      row.reduce((sum, value) => sum + value, 0),
    );
    relations.push({ total: `${r}:T`, parts: row.map((_value, c) => `${r}:${c}`) });
  });
  for (let c = 0; c < columns; c += 1) {
    cells.set(
      `T:${c}`,
      values.reduce((sum, row) => sum + row[c], 0),
    );
    relations.push({ total: `T:${c}`, parts: values.map((_row, r) => `${r}:${c}`) });
  }
  cells.set(
    'T:T',
    values.flat().reduce((sum, value) => sum + value, 0),
  );
  relations.push({ total: 'T:T', parts: values.map((_row, r) => `${r}:T`) });
  return { cells, relations };
}

/** The naive attack: repeatedly solve any relation with a single unknown member. */
function subtractionAttack(
  cells: Map<string, number>,
  relations: Relation[],
  suppressed: Set<string>,
): Map<string, number> {
  const known = new Map([...cells].filter(([id]) => !suppressed.has(id)));
  const learned = new Map<string, number>();
  for (let progress = true; progress;) {
    progress = false;
    for (const relation of relations) {
      const unknown = [relation.total, ...relation.parts].filter((id) => !known.has(id));
      if (unknown.length !== 1) {
        continue;
      }
      const [id] = unknown;
      const partsKnown = relation.parts.filter((part) => part !== id).map((part) => known.get(part) ?? 0);
      const sum = partsKnown.reduce((total, value) => total + value, 0);
      const value = id === relation.total ? sum : (known.get(relation.total) ?? 0) - sum;
      known.set(id, value);
      learned.set(id, value);
      progress = true;
    }
  }
  return learned;
}

describe('primary suppression', () => {
  it('withholds 1 … minCell − 1, never 0 or minCell', () => {
    const cells = new Map([
      ['a', 0],
      ['b', 1],
      ['c', 4],
      ['d', 5],
      ['e', 120],
    ]);
    expect([...primarySuppression(cells, 5)].sort()).toEqual(['b', 'c']);
    expect([...primarySuppression(cells, 2)].sort()).toEqual(['b']);
  });
});

describe('secondary suppression', () => {
  it('withholds a second cell in the row and the column of a small one', () => {
    const { cells, relations } = table([
      [3, 20, 30],
      [12, 25, 40],
      [15, 18, 50],
    ]);
    const suppressed = suppress(cells, relations, 5);
    expect(suppressed.has('0:0')).toBe(true);
    // Row 0 and column 0 each need another withheld cell; the smallest positive one is chosen.
    expect([...suppressed].filter((id) => id.startsWith('0:') && id !== '0:T').length).toBeGreaterThanOrEqual(
      2,
    );
    expect([...suppressed].filter((id) => id.endsWith(':0') && id !== 'T:0').length).toBeGreaterThanOrEqual(
      2,
    );
    expect(subtractionAttack(cells, relations, suppressed).size).toBe(0);
    expect(recomputable(cells, relations, suppressed).size).toBe(0);
  });

  it('withholds a small total and enough of its parts', () => {
    const { cells, relations } = table([[1], [2], [30]]);
    const suppressed = suppress(cells, relations, 5);
    expect(suppressed.has('0:0')).toBe(true);
    expect(suppressed.has('1:0')).toBe(true);
    expect(recomputable(cells, relations, suppressed).size).toBe(0);
  });

  it('withholds nothing in a table without small counts', () => {
    const { cells, relations } = table([
      [0, 20],
      [12, 0],
    ]);
    expect(suppress(cells, relations, 5).size).toBe(0);
  });

  it('finds a cell that only several relations together reveal', () => {
    // Withheld: x = 0:0, y = 0:1, z = 1:0 with row 0 (x + y), column 0 (x + z) and 1:1 known … plus
    // row 1 (z + 1:1): z follows from row 1, then x, then y.
    const { cells, relations } = table([
      [2, 3],
      [4, 10],
    ]);
    const leaky = new Set(['0:0', '0:1', '1:0']);
    expect(subtractionAttack(cells, relations, leaky).size).toBeGreaterThan(0);
    expect(recomputable(cells, relations, leaky).size).toBeGreaterThan(0);
    const suppressed = suppress(cells, relations, 5);
    expect(recomputable(cells, relations, suppressed).size).toBe(0);
  });

  it('property: no withheld cell can be recomputed from the published table', () => {
    const arbitraryTable = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }))
      .chain(([rows, columns]) =>
        fc.array(
          fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 60 })), {
            minLength: columns,
            maxLength: columns,
          }),
          { minLength: rows, maxLength: rows },
        ),
      );
    fc.assert(
      fc.property(arbitraryTable, fc.integer({ min: 2, max: 10 }), (values, minCell) => {
        const { cells, relations } = table(values);
        const suppressed = suppress(cells, relations, minCell);
        // Every small count is withheld …
        for (const [id, value] of cells) {
          if (value >= 1 && value < minCell) {
            expect(suppressed.has(id)).toBe(true);
          }
        }
        // … and neither attack recovers any withheld cell.
        expect(subtractionAttack(cells, relations, suppressed).size).toBe(0);
        expect(recomputable(cells, relations, suppressed).size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
