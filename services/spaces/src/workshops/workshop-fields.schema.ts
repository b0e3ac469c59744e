import { Schema, Types } from 'mongoose';
import type { AgendaStep, Outcomes, WorkshopFormat } from '@agora/proto';

/** Someone marked present: a member, or a person without an account (name, organisation). */
export interface AttendeeDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId | null;
  name: string;
  organisation: string;
  sector: string | null;
  recordedBy: Types.ObjectId;
  recordedAt: Date;
}

/**
 * A workshop's own fields, nested in its space document (`space.workshop`). The roster lives here
 * too, so a registration, a cancellation with its promotion, or a raised capacity is one
 * conditional write of one document: no place is ever given twice, and no transaction is needed.
 */
export interface WorkshopFields {
  description: string;
  country: string;
  language: string;
  format: WorkshopFormat;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  /** Null: registration closes when the workshop starts. */
  registrationClosesAt: Date | null;
  capacity: number;
  place: string;
  link: string;
  agenda: AgendaStep[];
  outcomes: Outcomes;
  communityId: Types.ObjectId;
  stage: 'draft' | 'published';
  publishedAt: Date | null;
  facilitators: Types.ObjectId[];
  /** Holders of a place, in the order they got it. */
  registered: Types.ObjectId[];
  /** The waiting list, first in line first. */
  waitlist: Types.ObjectId[];
  attendees: AttendeeDoc[];
  /** iCalendar SEQUENCE: bumped by every change a calendar app shows (times, title, place…). */
  sequence: number;
}

const agendaStepSchema = new Schema<AgendaStep>(
  {
    key: { type: String, required: true },
    title: { type: String, required: true },
    minutes: { type: Number, default: null },
  },
  { _id: false },
);

const outcomesSchema = new Schema<Outcomes>(
  {
    decisions: { type: [String], default: [] },
    proposals: {
      type: [new Schema({ title: String, note: String }, { _id: false })],
      default: [],
    },
    followUps: {
      type: [
        new Schema(
          {
            task: String,
            ownerId: { type: String, default: null },
            ownerName: { type: String, default: '' },
            due: { type: String, default: null },
            done: { type: Boolean, default: false },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { _id: false },
);

const attendeeSchema = new Schema<AttendeeDoc>({
  memberId: { type: Schema.Types.ObjectId, default: null },
  name: { type: String, default: '' },
  organisation: { type: String, default: '' },
  sector: { type: String, default: null },
  recordedBy: { type: Schema.Types.ObjectId, required: true },
  recordedAt: { type: Date, required: true },
});

export const workshopFieldsSchema = new Schema<WorkshopFields>(
  {
    description: { type: String, default: '' },
    country: { type: String, required: true },
    language: { type: String, required: true },
    format: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    timeZone: { type: String, required: true },
    registrationClosesAt: { type: Date, default: null },
    capacity: { type: Number, required: true },
    place: { type: String, default: '' },
    link: { type: String, default: '' },
    agenda: { type: [agendaStepSchema], default: [] },
    outcomes: { type: outcomesSchema, default: () => ({}) },
    communityId: { type: Schema.Types.ObjectId, required: true },
    stage: { type: String, enum: ['draft', 'published'], required: true },
    publishedAt: { type: Date, default: null },
    facilitators: { type: [Schema.Types.ObjectId], default: [] },
    registered: { type: [Schema.Types.ObjectId], default: [] },
    waitlist: { type: [Schema.Types.ObjectId], default: [] },
    attendees: { type: [attendeeSchema], default: [] },
    sequence: { type: Number, default: 0 },
  },
  { _id: false },
);
