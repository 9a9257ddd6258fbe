/**
 * Body of PUT /admin/calendars/{id} and the query of GET /admin/calendars/{id}. The decorators check the shape
 * (unknown fields and weekdays refused); what the times and dates mean is checked by the business-calendar
 * library, so every problem of the content is named in one 400.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { TimeRange } from '@aftersales/business-calendar';

const RANGES_SCHEMA = {
  type: 'array',
  maxItems: 12,
  items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', example: '09:00', description: 'HH:MM local time; an end may be 24:00' } },
  example: [
    ['09:00', '12:00'],
    ['13:00', '18:00'],
  ],
} as const;

const DATES_SCHEMA = (example: string[], description: string) =>
  ({ type: 'array', maxItems: 1000, items: { type: 'string', format: 'date' }, example, description }) as const;

export class WeekHoursDto {
  @ApiProperty(RANGES_SCHEMA)
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(12)
  mon!: TimeRange[];

  @ApiProperty(RANGES_SCHEMA)
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(12)
  tue!: TimeRange[];

  @ApiProperty(RANGES_SCHEMA)
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(12)
  wed!: TimeRange[];

  @ApiProperty(RANGES_SCHEMA)
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(12)
  thu!: TimeRange[];

  @ApiProperty(RANGES_SCHEMA)
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(12)
  fri!: TimeRange[];

  @ApiProperty({ ...RANGES_SCHEMA, example: [] })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(12)
  sat!: TimeRange[];

  @ApiProperty({ ...RANGES_SCHEMA, example: [] })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(12)
  sun!: TimeRange[];
}

export class PutCalendarDto {
  @ApiProperty({ example: 'Asia/Shanghai', description: 'IANA time zone the hours and dates are local to' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  timeZone!: string;

  @ApiProperty({ type: WeekHoursDto, description: 'Business hours per weekday; [] for a day without any' })
  @IsDefined()
  @ValidateNested()
  @Type(() => WeekHoursDto)
  week!: WeekHoursDto;

  @ApiProperty(DATES_SCHEMA(['2026-10-01', '2026-10-02'], 'Days off (YYYY-MM-DD, local)'))
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(1000)
  holidays!: string[];

  @ApiProperty(DATES_SCHEMA(['2026-09-20', '2026-10-10'], 'Weekend days worked instead (调休), with the workdayHours (the Monday hours when absent)'))
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(1000)
  workdays!: string[];

  @ApiPropertyOptional({ ...RANGES_SCHEMA, description: 'Hours of an adjusted working day; the Monday hours when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  workdayHours?: TimeRange[];

  @ApiPropertyOptional({ type: [String], maxItems: 500, example: ['m1'], description: 'Merchants whose cases count in this calendar' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  merchants?: string[];

  @ApiPropertyOptional({ default: false, description: 'The calendar of merchants no calendar names' })
  @IsOptional()
  @IsBoolean()
  default?: boolean;
}

export class CalendarVersionQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'A stored version; the latest when absent' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;
}
