import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv, validateReportQuery } from '../../src/domain/report-sql.ts';

describe('report SQL: CSV and the query rules', () => {
  it('CSV follows RFC 4180: CRLF ends each record, a field with a comma, quote, CR or LF is quoted, quotes doubled, null empty', () => {
    assert.equal(
      toCsv(['name', 'note', 'n'], [['a,b', 'say "hi"', 1], ['line1\nline2', 'cr\rhere', null], ['plain', '', 0]]),
      'name,note,n\r\n"a,b","say ""hi""",1\r\n"line1\nline2","cr\rhere",\r\nplain,,0\r\n',
    );
  });

  it('takes the SQL trimmed with the default limits, and names each broken rule', () => {
    assert.deepEqual(validateReportQuery({ sql: '  SELECT 1 ' }), { ok: true, value: { sql: 'SELECT 1', limitRows: 1000, timeoutMs: 10_000 } });
    const bad = validateReportQuery({ sql: '', limitRows: 100_001, timeoutS: 0.5 });
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.errors.map((e) => e.field), ['sql', 'limit', 'timeout']);
    assert.deepEqual(!bad.ok && bad.errors.map((e) => e.message.split(':')[0]), ['SQL', 'limit', 'timeout']);
  });
});
