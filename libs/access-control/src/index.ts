export * from './token-registry';
export * from './roles.decorator';
export * from './bearer-auth.guard';
