import type { WorkshopFormat } from '@agora/proto';

/** What the form hands its page: the fields of a new workshop, also a patch of an existing one. */
export interface WorkshopInput {
  title: string;
  description: string;
  country: string;
  language: string;
  format: WorkshopFormat;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  capacity: number;
  place: string;
  link: string;
  registrationClosesAt: string | null;
  draft: boolean;
}
