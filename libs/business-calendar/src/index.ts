export * from './business-calendar';
export * from './calendar-problems';
export * from './business-time';
export * from './store/sql-calendar-store';
