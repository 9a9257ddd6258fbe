/** class-transformer ships the type of its metadata storage, but not for the CommonJS path that holds it. */
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
