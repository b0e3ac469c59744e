import { UploadRepository } from '@agora/platform';
import { AttachmentImageRepository } from './attachment-image.repository.js';
import { AttachmentSweepScheduler } from './attachment-sweep.scheduler.js';
import { AttachmentHandler } from './attachment.handler.js';
import { AttachmentRepository } from './attachment.repository.js';
import { AttachmentService } from './attachment.service.js';

export const attachmentControllers = [AttachmentHandler];

export const attachmentProviders = [
  AttachmentRepository,
  AttachmentImageRepository,
  UploadRepository,
  AttachmentService,
  AttachmentSweepScheduler,
];
