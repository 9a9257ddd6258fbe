/** Walking the whole global feed from the start, for commands that read everything. */
export { walkWholeFeed } from '@aftersales/read-models';
export { GENESIS_HASH, chainHash, chainPayload } from '@aftersales/event-store';
