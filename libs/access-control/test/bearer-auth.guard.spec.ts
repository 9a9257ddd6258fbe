/**
 * The bearer guard on a real Nest application: who may call what. Every role against routes open to some roles,
 * a public route, a route public only while its switch is on, and a route that names no role at all.
 */
import { Controller, Get, Module, Req } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { TokenRole } from '@aftersales/runtime-config';
import type { AuthenticatedRequest, PublicSwitches } from '../src';
import { BearerAuthGuard, PUBLIC_SWITCHES, Public, PublicWhen, Roles, TokenRegistry } from '../src';

const TOKENS: Record<TokenRole, string> = {
  service: 'svc-token-0001',
  agent: 'agent-token-0001',
  analyst: 'analyst-token-01',
  auditor: 'auditor-token-01',
  admin: 'admin-token-0001',
  metrics: 'metrics-token-01',
};
const ALL_ROLES = Object.keys(TOKENS) as TokenRole[];

@Controller()
class Routes {
  @Get('cases')
  @Roles('service', 'agent')
  cases(@Req() req: AuthenticatedRequest) {
    return req.principal;
  }

  @Get('audit')
  @Roles('auditor')
  audit() {
    return { ok: true };
  }

  @Get('metrics')
  @Roles('admin', 'metrics')
  @PublicWhen('metrics')
  metrics() {
    return { ok: true };
  }

  @Get('health')
  @Public()
  health() {
    return { ok: true };
  }

  @Get('forgotten')
  forgotten() {
    return { ok: true };
  }
}

async function appWith(switches: PublicSwitches): Promise<INestApplication> {
  @Module({
    controllers: [Routes],
    providers: [
      { provide: TokenRegistry, useValue: new TokenRegistry(ALL_ROLES.map((role) => ({ role, token: TOKENS[role] }))) },
      { provide: PUBLIC_SWITCHES, useValue: switches },
      { provide: APP_GUARD, useClass: BearerAuthGuard },
    ],
  })
  class Under {}
  const moduleRef = await Test.createTestingModule({ imports: [Under] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('BearerAuthGuard', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await appWith({ metrics: false });
  });
  afterAll(async () => app.close());

  const allowed: Record<string, TokenRole[]> = { '/cases': ['service', 'agent'], '/audit': ['auditor'], '/metrics': ['admin', 'metrics'], '/forgotten': [] };

  for (const [path, roles] of Object.entries(allowed)) {
    for (const role of ALL_ROLES) {
      const expected = roles.includes(role) ? 200 : 403;
      it(`${path} with the ${role} token: ${expected}`, async () => {
        const response = await request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKENS[role]}`).expect(expected);
        if (expected === 403) expect(response.body.message).toBe(`role '${role}' may not do this; allowed: ${roles.join(', ') || 'nobody'}`);
      });
    }
  }

  it('refuses a request without a token, with an unknown token and with another scheme: 401', async () => {
    const http = request(app.getHttpServer());
    expect((await http.get('/cases').expect(401)).body.message).toMatch(/Authorization: Bearer/);
    expect((await http.get('/cases').set('Authorization', 'Bearer not-a-known-token').expect(401)).body.message).toBe('the bearer token is not valid');
    await http.get('/cases').set('Authorization', `Basic ${TOKENS.agent}`).expect(401);
    await http.get('/cases').set('Authorization', TOKENS.agent).expect(401);
  });

  it('reads the token whatever the case of the scheme and the whitespace around it', async () => {
    await request(app.getHttpServer()).get('/cases').set('Authorization', `  bEaReR \t${TOKENS.agent}  `).expect(200);
  });

  it('names the principal by role and token id, never the token, and takes a well-formed X-Actor-Id', async () => {
    const http = request(app.getHttpServer());
    expect((await http.get('/cases').set('Authorization', `Bearer ${TOKENS.agent}`).expect(200)).body).toEqual({
      role: 'agent',
      actorId: 'agent',
      tokenId: 'agent#1',
    });
    const named = await http.get('/cases').set('Authorization', `Bearer ${TOKENS.agent}`).set('X-Actor-Id', 'agent-7@returns').expect(200);
    expect(named.body.actorId).toBe('agent-7@returns');
    await http.get('/cases').set('Authorization', `Bearer ${TOKENS.agent}`).set('X-Actor-Id', 'agent 7; drop').expect(400);
    await http.get('/cases').set('Authorization', `Bearer ${TOKENS.agent}`).set('X-Actor-Id', 'a'.repeat(101)).expect(400);
  });

  it('lets everyone reach a public route; a switchable route needs a token while its switch is off', async () => {
    const http = request(app.getHttpServer());
    await http.get('/health').expect(200);
    await http.get('/metrics').expect(401);
  });

  it('opens the metrics route to everyone while METRICS_PUBLIC is on', async () => {
    const open = await appWith({ metrics: true });
    try {
      await request(open.getHttpServer()).get('/metrics').expect(200);
      await request(open.getHttpServer()).get('/audit').expect(401);
    } finally {
      await open.close();
    }
  });
});
