export * from './token-registry';
export * from './roles.decorator';
export * from './bearer-credentials';
export * from './bearer-auth.guard';
