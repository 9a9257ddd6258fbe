/**
 * DELETE /customers/{id}/personal-data: erase a customer's personal data by destroying their keys. A customer the
 * system never saw is a 404; erasing again answers 200 with `alreadyErased: true` and nothing destroyed.
 */
import { Controller, Delete, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiResponse({ status: 200, description: 'Erased now (`keysDestroyed` ≥ 1), or already erased before (`alreadyErased: true`, `keysDestroyed: 0`)' })
  @ApiResponse({ status: 404, description: 'A customer the system never saw' })
  async erase(@Param('id') customerId: string) {
    const { known, ...result } = await this.vault.erase(customerId);
    if (!known)
      throw new NotFoundException({ code: 'CUSTOMER_NOT_FOUND', message: `no case was ever opened for customer ${customerId}; there is nothing to erase` });
    this.logger.event('warn', result.alreadyErased ? 'personal data erasure repeated' : 'personal data erased', {
      customerId,
      keysDestroyed: result.keysDestroyed,
      keyStore: this.vault.keyStoreKind,
    });
    return { ...result, erased: true };
  }
}
