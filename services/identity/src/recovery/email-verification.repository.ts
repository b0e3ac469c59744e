import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MongoService } from '@agora/platform';
import {
  EMAIL_VERIFICATION_COLLECTION,
  emailVerificationSchema,
  type EmailVerificationDoc,
} from './email-verification.schema.js';

/** Which member proved which address (one record per member: the latest proof). */
@Injectable()
export class EmailVerificationRepository {
  private readonly model: Model<EmailVerificationDoc>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<EmailVerificationDoc>(
      'EmailVerification',
      emailVerificationSchema,
      EMAIL_VERIFICATION_COLLECTION,
    );
  }

  /** True when the member proved exactly this address (a changed address needs a new proof). */
  async isVerified(memberId: string, email: string): Promise<boolean> {
    const doc = await this.model.findById(memberId).lean<EmailVerificationDoc>().exec();
    return doc !== null && doc.email === email;
  }

  async markVerified(memberId: string, email: string, at: Date): Promise<void> {
    await this.model
      .updateOne({ _id: memberId }, { $set: { email, verifiedAt: at } }, { upsert: true })
      .exec();
  }

  async deleteFor(memberId: string): Promise<void> {
    await this.model.deleteOne({ _id: memberId }).exec();
  }
}
