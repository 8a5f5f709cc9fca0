// The built-in reports' rules and arithmetic with known answers: time ranges
// and scopes (each bad one named by field and rule), weighted averages,
// over-commit, availability, the least-squares fill forecast, and the HTML
// page escaping every value.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_S, HOUR_S } from '../../src/domain/history-aggregate.ts';
import { escapeHtml, reportCsv, reportHtml } from '../../src/domain/report-render.ts';
import {
  availabilityPct, fillForecast, leastSquares, overcommit, parseReportTime, parseScope, summarise, topBy, validateReportRequest, type ReportResult,
} from '../../src/domain/reports.ts';

const NOW = Date.UTC(2026, 11, 8, 12) / 1000;

describe('report time ranges and scopes', () => {
  it('reads ISO dates and times (UTC when no zone is given), now, and times before now', () => {
    assert.equal(parseReportTime('2026-12-01', NOW), Date.UTC(2026, 11, 1) / 1000);
    assert.equal(parseReportTime('2026-12-01T06:30', NOW), Date.UTC(2026, 11, 1, 6, 30) / 1000);
    assert.equal(parseReportTime('2026-12-01T06:30:00+02:00', NOW), Date.UTC(2026, 11, 1, 4, 30) / 1000);
    assert.equal(parseReportTime('now', NOW), NOW);
    assert.equal(parseReportTime('7d', NOW), NOW - 7 * DAY_S);
    assert.equal(parseReportTime('12h', NOW), NOW - 12 * HOUR_S);
    assert.equal(parseReportTime('2w', NOW), NOW - 14 * DAY_S);
    for (const bad of ['yesterday', '7', '-7d', '2026-13-45', '2026-12-01T25:00', '1e3d', '']) assert.equal(parseReportTime(bad, NOW), undefined, bad);
  });

  it('defaults to the last 7 days of this host', () => {
    const v = validateReportRequest({ name: 'events' }, NOW);
    assert.deepEqual(v, { ok: true, value: { name: 'events', from: NOW - 7 * DAY_S, to: NOW, scope: { kind: 'host' } } });
  });

  it('names each broken rule by its field: report, from, to, scope', () => {
    const errs = (input: Parameters<typeof validateReportRequest>[0]) => { const v = validateReportRequest(input, NOW); return v.ok ? [] : v.errors.map((e) => e.field); };
    assert.deepEqual(errs({ name: 'sales' }), ['name']);
    assert.deepEqual(errs({ name: 'events', from: 'soon' }), ['from']);
    assert.deepEqual(errs({ name: 'events', from: '1d', to: '2d' }), ['from']);
    assert.deepEqual(errs({ name: 'events', to: '2030-01-01' }), ['to']);
    assert.deepEqual(errs({ name: 'events', from: 'soon', to: '2030-01-01' }), ['from', 'to'], 'both, when from is not understood');
    assert.deepEqual(errs({ name: 'events', from: '1900-01-01' }), ['from']);
    assert.deepEqual(errs({ name: 'events', scope: 'vm:' }), ['scope']);
    assert.deepEqual(errs({ name: 'storage-usage', scope: 'cluster:c1' }), ['scope']);
  });

  it('a scope is host, or a kind and a name without control characters', () => {
    assert.deepEqual(parseScope(undefined), { kind: 'host' });
    assert.deepEqual(parseScope('vm:web:1'), { kind: 'vm', name: 'web:1' });
    for (const bad of ['vm', 'host:x', 'rack:r1', ':x', 'vm:a\u001b[2J']) assert.equal(parseScope(bad), undefined, bad);
  });
});

describe('report arithmetic', () => {
  it('averages weigh each row by the samples it stands for; unknown figures add nothing; the peak is the largest', () => {
    assert.deepEqual(summarise([{ samples: 60, avg: 10, max: 20 }, { samples: 20, avg: 50, max: 90 }, { samples: 30, avg: null, max: null }]), { avg: 20, max: 90 });
    assert.deepEqual(summarise([]), { avg: null, max: null });
  });

  it('over-commit and availability are ratios; unknown when the host figure or the samples are missing', () => {
    assert.equal(overcommit(24, 16), 1.5);
    assert.equal(overcommit(24, null), null);
    assert.equal(availabilityPct(1440, 360), 25);
    assert.equal(availabilityPct(0, 0), null);
  });

  it('the least-squares line through noisy points, and the time it meets the capacity', () => {
    // used = 100 + 2t, with noise that cancels out.
    const pts = [0, 10, 20, 30].map((t, i) => ({ t: 1_000_000 + t, v: 100 + 2 * t + (i % 2 ? 1 : -1) }));
    const fit = leastSquares(pts)!;
    assert.ok(Math.abs(fit.slope - 2) < 0.05);
    assert.equal(fillForecast([{ t: 0, v: 0 }, { t: DAY_S, v: 100 }], 1000), 10 * DAY_S);
    assert.equal(fillForecast([{ t: 0, v: 500 }, { t: DAY_S, v: 500 }], 1000), 'not filling');
    assert.equal(fillForecast([{ t: 0, v: 500 }, { t: DAY_S, v: 400 }], 1000), 'not filling', 'shrinking');
    assert.equal(fillForecast([{ t: 0, v: 500 }], 1000), undefined, 'one point says nothing');
  });

  it('top rows: largest first, unknown last, ties by name', () => {
    const rows = [{ name: 'b', v: 1 }, { name: 'a', v: 1 }, { name: 'c', v: null }, { name: 'd', v: 5 }];
    assert.deepEqual(topBy(rows, (r) => r.v, 3).map((r) => r.name), ['d', 'a', 'b']);
  });
});

describe('report output', () => {
  const hostile = '<script>alert("x")</script>&\'';
  const result: ReportResult = {
    name: 'inventory', title: 'Inventory', from: NOW - DAY_S, to: NOW, level: 'minute', scope: { kind: 'vm', name: hostile },
    tables: [{ title: `VMs ${hostile}`, columns: [{ id: 'vm', title: 'VM' }, { id: 'n', title: 'N', unit: 'MiB' }], rows: [{ vm: hostile, n: 1 }, { vm: 'a,b', n: null }] }],
    charts: [{ title: hostile, unit: '%', series: [{ label: hostile, points: [{ t: NOW - DAY_S, v: 1 }, { t: NOW, v: 2 }] }] }],
    notes: [hostile],
  };

  it('HTML escapes every value (no tag or attribute from a VM name) and holds no external resource or script', () => {
    const html = reportHtml(result);
    assert.equal(html.includes('<script'), false);
    assert.equal(html.includes(hostile), false);
    assert.ok(html.includes(escapeHtml(hostile)));
    assert.doesNotMatch(html, /\b(src|href)=|url\(|@import/);
    assert.match(html, /<svg [^>]*><rect/);
  });

  it('CSV quotes what needs it, each table under its title', () => {
    assert.deepEqual(reportCsv(result).split('\n').slice(1, 4), ['VM,N (MiB)', `"<script>alert(""x"")</script>&'",1`, '"a,b",']);
  });
});
