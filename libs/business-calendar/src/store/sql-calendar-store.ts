/**
 * The versioned calendar store over SQL (PGlite or PostgreSQL): every `put` that changes a calendar keeps a new
 * version beside the old ones, so the version a case opened with stays readable. Which calendar a merchant's case
 * uses: the latest version of the calendar naming the merchant, else the latest default calendar, else none
 * (24×7); when two calendars claim the same merchant, or both claim to be the default, the one stored last wins.
 */
import { ddlStatements, migrate } from '@aftersales/sql-client';
import type { SqlClient, SqlQueryable } from '@aftersales/sql-client';
import type { BusinessCalendar, TimeRange, WeekHours } from '../business-calendar';
import { WEEKDAYS } from '../business-calendar';

export const CALENDARS_TABLE = 'business_calendars';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${CALENDARS_TABLE} (
  seq          BIGSERIAL PRIMARY KEY,
  calendar_id  TEXT NOT NULL,
  version      INTEGER NOT NULL,
  latest       BOOLEAN NOT NULL,
  is_default   BOOLEAN NOT NULL,
  merchants    TEXT[] NOT NULL,
  calendar     JSONB NOT NULL,
  stored_at    TIMESTAMPTZ NOT NULL,
  UNIQUE (calendar_id, version)
);
CREATE INDEX IF NOT EXISTS ${CALENDARS_TABLE}_latest ON ${CALENDARS_TABLE} (latest, is_default);
`;

/** What an administrator puts: the calendar's content and where it applies. */
export interface CalendarDefinition {
  timeZone: string;
  week: WeekHours;
  holidays: string[];
  workdays: string[];
  workdayHours?: TimeRange[];
  merchants?: string[];
  default?: boolean;
}

/** One stored version: the calendar as cases record it, plus where it applies and when it was stored. */
export interface StoredCalendar {
  calendar: BusinessCalendar;
  merchants: string[];
  default: boolean;
  storedAt: string;
}

export interface PutOutcome {
  stored: StoredCalendar;
  /** The first version of this id. */
  created: boolean;
  /** False when the definition equals the latest version, which is then kept as it is. */
  changed: boolean;
}

interface Row {
  calendar: BusinessCalendar;
  merchants: string[];
  is_default: boolean;
  stored_at: Date | string;
}

const COLUMNS = 'calendar, merchants, is_default, stored_at';

function fromRow(row: Row): StoredCalendar {
  return { calendar: row.calendar, merchants: row.merchants, default: row.is_default, storedAt: new Date(row.stored_at).toISOString() };
}

const sortedUnique = (values: readonly string[] = []) => [...new Set(values)].sort();

/** The content of a calendar in one canonical form: days in week order, dates sorted, without duplicates. */
function canonical(id: string, version: number, d: CalendarDefinition): BusinessCalendar {
  return {
    id,
    version,
    timeZone: d.timeZone,
    week: Object.fromEntries(WEEKDAYS.map((day) => [day, d.week[day].map(([a, b]) => [a, b] as TimeRange)])) as WeekHours,
    holidays: sortedUnique(d.holidays),
    workdays: sortedUnique(d.workdays),
    ...(d.workdayHours ? { workdayHours: d.workdayHours.map(([a, b]) => [a, b] as TimeRange) } : {}),
  };
}

/** JSON with object keys sorted, so that content read back from JSONB compares equal to content built here. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function sameDefinition(a: StoredCalendar, b: StoredCalendar): boolean {
  const content = (s: StoredCalendar) => sortedJson({ ...s.calendar, id: '', version: 0, merchants: s.merchants, default: s.default });
  return content(a) === content(b);
}

export class SqlCalendarStore {
  constructor(private readonly sql: SqlClient) {}

  async init(): Promise<void> {
    await migrate(this.sql, 'calendars', [{ version: 1, name: 'versioned calendars', statements: ddlStatements(SCHEMA) }]);
  }

  /** Stores a new version of `id` unless the definition equals the latest one. Validate the definition first. */
  async put(id: string, definition: CalendarDefinition, storedAt: string): Promise<PutOutcome> {
    return this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`calendar:${id}`]);
      const latest = await this.latestOf(tx, id);
      const version = (latest?.calendar.version ?? 0) + 1;
      const next: StoredCalendar = {
        calendar: canonical(id, version, definition),
        merchants: sortedUnique(definition.merchants),
        default: definition.default ?? false,
        storedAt,
      };
      if (latest && sameDefinition(latest, next)) return { stored: latest, created: false, changed: false };
      await tx.query(`UPDATE ${CALENDARS_TABLE} SET latest = FALSE WHERE calendar_id = $1 AND latest`, [id]);
      await tx.query(
        `INSERT INTO ${CALENDARS_TABLE} (calendar_id, version, latest, is_default, merchants, calendar, stored_at)
         VALUES ($1, $2, TRUE, $3, $4::text[], $5::jsonb, $6::timestamptz)`,
        [id, version, next.default, next.merchants, JSON.stringify(next.calendar), storedAt],
      );
      return { stored: next, created: latest === undefined, changed: true };
    });
  }

  /** The latest version of every calendar, by id. */
  async list(): Promise<StoredCalendar[]> {
    const rows = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM ${CALENDARS_TABLE} WHERE latest ORDER BY calendar_id`);
    return rows.rows.map(fromRow);
  }

  /** One version of a calendar, the latest when none is named. */
  async get(id: string, version?: number): Promise<StoredCalendar | undefined> {
    if (version === undefined) return this.latestOf(this.sql, id);
    const rows = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM ${CALENDARS_TABLE} WHERE calendar_id = $1 AND version = $2`, [id, version]);
    return rows.rows[0] ? fromRow(rows.rows[0]) : undefined;
  }

  /** Every version of a calendar, oldest first, with when it was stored. */
  async versions(id: string): Promise<Array<{ version: number; storedAt: string }>> {
    const rows = await this.sql.query<{ version: number; stored_at: Date | string }>(
      `SELECT version, stored_at FROM ${CALENDARS_TABLE} WHERE calendar_id = $1 ORDER BY version`,
      [id],
    );
    return rows.rows.map((r) => ({ version: Number(r.version), storedAt: new Date(r.stored_at).toISOString() }));
  }

  /** The calendar a merchant's new case counts in: the one naming the merchant, else the default; none: 24×7. */
  async calendarFor(merchantId: string): Promise<BusinessCalendar | undefined> {
    const rows = await this.sql.query<{ calendar: BusinessCalendar }>(
      `SELECT calendar FROM ${CALENDARS_TABLE}
       WHERE latest AND ($1 = ANY(merchants) OR is_default)
       ORDER BY ($1 = ANY(merchants)) DESC, seq DESC LIMIT 1`,
      [merchantId],
    );
    return rows.rows[0]?.calendar;
  }

  private async latestOf(sql: SqlQueryable, id: string): Promise<StoredCalendar | undefined> {
    const rows = await sql.query<Row>(`SELECT ${COLUMNS} FROM ${CALENDARS_TABLE} WHERE calendar_id = $1 AND latest`, [id]);
    return rows.rows[0] ? fromRow(rows.rows[0]) : undefined;
  }
}
