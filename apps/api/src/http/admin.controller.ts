/** GET /admin/projections and POST /admin/projections/{name}/rebuild. */
import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import type { ProjectionAdmin } from '../admin/projection-admin';
import { PROJECTION_ADMIN } from '../composition/tokens';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/projections')
export class AdminController {
  constructor(@Inject(PROJECTION_ADMIN) private readonly admin: ProjectionAdmin) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Each view: checkpoints per source, lag behind the store, dead letters, rebuild progress' })
  async list() {
    return { projections: await this.admin.status() };
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Rebuild a view from the event store into fresh tables and swap them in; queries keep answering meanwhile' })
  @ApiResponse({ status: 202, description: 'Rebuild started: its state and progress (follow it at GET /admin/projections)' })
  @ApiResponse({ status: 404, description: 'Unknown projection' })
  @ApiResponse({ status: 409, description: 'A rebuild of this view is already running' })
  rebuild(@Param('name') name: string) {
    return this.admin.rebuild(name);
  }
}
