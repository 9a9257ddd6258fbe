/** POST /triage: the analysis a case's text gets when it opens (SPEC section 4), without opening a case. */
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Roles } from '@aftersales/access-control';
import { TRIAGE_ANALYSER } from '@aftersales/case-application';
import type { Triage, TriageAnalyser } from '@aftersales/triage';

/** As long as a case's reason and description together may be. */
export const MAX_TRIAGE_TEXT = 10_500;

export class TriageRequestDto {
  @ApiProperty({ example: '手机屏幕用了三天就坏了，再不处理我就打12315投诉', maxLength: MAX_TRIAGE_TEXT })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TRIAGE_TEXT)
  text!: string;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('triage')
export class TriageController {
  constructor(@Inject(TRIAGE_ANALYSER) private readonly analyser: TriageAnalyser) {}

  @Post()
  @HttpCode(200)
  @Roles('service', 'agent')
  @ApiOperation({
    summary: 'Analyse a text as triage would',
    description: 'Language, sentiment, suggested type and priority, regulator mention, each with its evidence, and the analyser version.',
  })
  @ApiResponse({ status: 200, description: 'The triage of the text' })
  @ApiResponse({ status: 400, description: 'No text, not a string, or longer than the limit' })
  analyse(@Body() body: TriageRequestDto): Triage {
    return this.analyser.analyse({ text: body.text });
  }
}
