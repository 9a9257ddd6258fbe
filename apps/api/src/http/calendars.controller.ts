/** PUT /admin/calendars/{id} (admin), GET /admin/calendars and GET /admin/calendars/{id} (admin, analyst). */
import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '@aftersales/access-control';
import type { CalendarProblem, SqlCalendarStore, StoredCalendar } from '@aftersales/business-calendar';
import { calendarProblems } from '@aftersales/business-calendar';
import type { Clock } from '@aftersales/case-domain';
import type { CalendarChanges } from '@aftersales/case-application';
import { CALENDAR_CHANGES, CLOCK } from '@aftersales/case-application';
import type { FieldProblem } from '@aftersales/input-validation';
import { CALENDAR_STORE } from '../composition/tokens';
import { CalendarVersionQuery, PutCalendarDto } from '../dto/calendar.dto';

const CALENDAR_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkId(id: string): void {
  if (!CALENDAR_ID.test(id)) {
    throw new BadRequestException({
      message: 'the calendar id is not valid',
      fields: [{ field: 'id', problems: ['must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit'] }],
    });
  }
}

function byField(problems: CalendarProblem[]): FieldProblem[] {
  const fields = new Map<string, string[]>();
  for (const { field, problem } of problems) fields.set(field, [...(fields.get(field) ?? []), problem]);
  return [...fields].map(([field, list]) => ({ field, problems: list }));
}

function answer(stored: StoredCalendar) {
  const { calendar, merchants, storedAt } = stored;
  return { ...calendar, merchants, default: stored.default, storedAt };
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/calendars')
export class CalendarsController {
  constructor(
    @Inject(CALENDAR_STORE) private readonly calendars: SqlCalendarStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALENDAR_CHANGES) private readonly changes: CalendarChanges,
  ) {}

  @Put(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Store a new version of a business-hours calendar',
    description:
      'Cases of the merchants it names (or of every merchant no calendar names, when default) count SLA time in its hours from now on; ' +
      'open cases keep the version they opened with. The same definition again stores nothing and answers the latest version.',
  })
  @ApiParam({ name: 'id', description: 'Calendar id: letters, digits, dots, dashes, underscores', example: 'cn-office' })
  @ApiResponse({ status: 201, description: 'First version stored: id and version' })
  @ApiResponse({ status: 200, description: 'New version stored, or the definition equals the latest version (changed: false)' })
  @ApiResponse({ status: 400, description: 'Invalid times, overlapping ranges, unknown zone or bad dates; every problem named' })
  async put(@Param('id') id: string, @Body() body: PutCalendarDto, @Res({ passthrough: true }) response: Response) {
    checkId(id);
    const problems = calendarProblems(body);
    if (problems.length) throw new BadRequestException({ message: `the calendar has ${problems.length} problem(s)`, fields: byField(problems) });
    // Openings keep calendars on the embedded default: whatever the put did (a failure may have committed), drop them.
    const outcome = await this.calendars.put(id, { ...body, week: { ...body.week } }, this.clock.now().toISOString()).finally(() => this.changes.changed());
    response.status(outcome.created ? 201 : 200).location(`/admin/calendars/${id}`);
    return { id, version: outcome.stored.calendar.version, created: outcome.created, changed: outcome.changed, calendar: answer(outcome.stored) };
  }

  @Get()
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'The latest version of every calendar' })
  async list() {
    return { calendars: (await this.calendars.list()).map(answer) };
  }

  @Get(':id')
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'One calendar: its latest version, or the one named by ?version=, with the list of its versions' })
  @ApiParam({ name: 'id', example: 'cn-office' })
  @ApiResponse({ status: 200, description: 'The calendar version with its merchants, default flag and the list of its versions' })
  @ApiResponse({ status: 404, description: 'Unknown calendar or version' })
  async get(@Param('id') id: string, @Query() query: CalendarVersionQuery) {
    checkId(id);
    const stored = await this.calendars.get(id, query.version);
    if (!stored) {
      const what = query.version === undefined ? `calendar ${id}` : `version ${query.version} of calendar ${id}`;
      throw new NotFoundException({ code: 'CALENDAR_NOT_FOUND', message: `there is no ${what}` });
    }
    return { ...answer(stored), versions: await this.calendars.versions(id) };
  }
}
