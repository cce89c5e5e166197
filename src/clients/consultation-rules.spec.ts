import {
  consultationBirthDateErrors,
  consultationDateErrors,
  consultationEarliestErrors,
} from './consultation-rules';

const TODAY = '2026-05-20';

describe('consultationDateErrors', () => {
  it('accepts a consultation held up to today with the next contact due that day or later', () => {
    expect(consultationDateErrors({ heldOn: TODAY, nextContactDue: null }, TODAY)).toEqual([]);
    expect(consultationDateErrors({ heldOn: '2026-03-10', nextContactDue: '2026-03-10' }, TODAY)).toEqual([]);
    expect(consultationDateErrors({ heldOn: '2026-03-10', nextContactDue: '2027-01-01' }, TODAY)).toEqual([]);
  });

  it('refuses a consultation held in the future', () => {
    expect(consultationDateErrors({ heldOn: '2026-05-21', nextContactDue: null }, TODAY)).toEqual([
      { pointer: '#/heldOn', detail: 'must not be in the future' },
    ]);
  });

  it('refuses a next contact due before the consultation', () => {
    expect(
      consultationDateErrors({ heldOn: '2026-03-10', nextContactDue: '2026-03-09' }, TODAY).map(
        (error) => error.pointer,
      ),
    ).toEqual(['#/nextContactDue']);
  });

  it('on PATCH names the member the request sent, not the kept one', () => {
    const keptDue = { heldOn: false, nextContactDue: false };
    // only heldOn sent, the kept nextContactDue now lies before it
    expect(
      consultationDateErrors({ heldOn: '2026-04-01', nextContactDue: '2026-03-20' }, TODAY, {
        ...keptDue,
        heldOn: true,
      }).map((error) => error.pointer),
    ).toEqual(['#/heldOn']);
    // only nextContactDue sent
    expect(
      consultationDateErrors({ heldOn: '2026-04-01', nextContactDue: '2026-03-20' }, TODAY, {
        ...keptDue,
        nextContactDue: true,
      }).map((error) => error.pointer),
    ).toEqual(['#/nextContactDue']);
    // a kept heldOn is not checked against today again
    expect(consultationDateErrors({ heldOn: '2026-05-21', nextContactDue: null }, TODAY, keptDue)).toEqual(
      [],
    );
  });
});

describe('consultationEarliestErrors', () => {
  it('refuses a day before the programme began, accepts that day', () => {
    expect(consultationEarliestErrors('2004-12-31', '2005-01-01')).toEqual([
      { pointer: '#/heldOn', detail: 'must not be before 2005-01-01, when the counselling programme began' },
    ]);
    expect(consultationEarliestErrors('2005-01-01', '2005-01-01')).toEqual([]);
    expect(consultationEarliestErrors('2011-06-30', '2012-01-01')).toHaveLength(1);
  });
});

describe('consultationBirthDateErrors', () => {
  it("refuses a day before the client's birth, accepts the birthday and an unknown birth date", () => {
    expect(consultationBirthDateErrors('2010-03-01', '2010-03-02')).toEqual([
      { pointer: '#/heldOn', detail: "must not be before the client's birth date (2010-03-02)" },
    ]);
    expect(consultationBirthDateErrors('2010-03-02', '2010-03-02')).toEqual([]);
    expect(consultationBirthDateErrors('2006-01-01', null)).toEqual([]);
  });
});
