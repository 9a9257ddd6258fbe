/** Injection tokens of the API's own composition. */
export const READ_MODELS = Symbol('READ_MODELS');
export const ORDER_INTAKE = Symbol('ORDER_INTAKE');
export const PROJECTION_ADMIN = Symbol('PROJECTION_ADMIN');
export const KAFKA_TOPICS = Symbol('KAFKA_TOPICS');
export const CALENDAR_STORE = Symbol('CALENDAR_STORE');
export const JURISDICTION_PROFILES = Symbol('JURISDICTION_PROFILES');
