import { Types } from 'mongoose';

/** A 24-hex id as an ObjectId (callers pass ids the contract already validated). */
export const oid = (id: string): Types.ObjectId => new Types.ObjectId(id);

export const newId = (): string => new Types.ObjectId().toHexString();

export const hex = (id: Types.ObjectId): string => id.toHexString();
