/** GET /auth/whoami: the role of the presented bearer token, so a client (the console) shows only what it may read. */
import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthenticatedRequest } from '@aftersales/access-control';
import { Roles } from '@aftersales/access-control';
import type { TokenRole } from '@aftersales/runtime-config';
import { METRICS_ROLE, ROLES } from '@aftersales/runtime-config';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('auth')
export class WhoamiController {
  @Get('whoami')
  @Roles(...ROLES, METRICS_ROLE)
  @ApiOperation({ summary: 'The role the bearer token grants' })
  @ApiResponse({ status: 200, description: 'The role', schema: { type: 'object', required: ['role'], properties: { role: { type: 'string' } } } })
  @ApiResponse({ status: 401, description: 'No token, or not a valid one' })
  whoami(@Req() request: Request): { role: TokenRole } {
    return { role: (request as unknown as AuthenticatedRequest).principal!.role };
  }
}
