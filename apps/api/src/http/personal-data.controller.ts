/** DELETE /customers/{id}/personal-data: erase a customer's personal data by destroying their keys. */
import { Controller, Delete, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/access-control';
import { PERSONAL_DATA } from '@aftersales/case-application';
import type { PersonalDataVault } from '@aftersales/personal-data';
import { JsonLogger } from '@aftersales/observability';

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('customers')
export class PersonalDataController {
  constructor(
    @Inject(PERSONAL_DATA) private readonly vault: PersonalDataVault,
    private readonly logger: JsonLogger,
  ) {}

  @Delete(':id/personal-data')
  @Roles('admin')
  @ApiOperation({ summary: "Crypto-shred the customer's personal data: events stay (chain and figures intact), their sealed fields become unreadable" })
  async erase(@Param('id') customerId: string) {
    const result = await this.vault.erase(customerId);
    this.logger.event('warn', 'personal data erased', { customerId, keysDestroyed: result.keysDestroyed });
    return { customerId, erased: true, ...result };
  }
}
