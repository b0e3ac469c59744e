import type {
  expertiseAreas,
  HideableProfileField,
  profileFields,
  Role,
  sectors,
} from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';

type Sector = (typeof sectors)[number];
type Expertise = (typeof expertiseAreas)[number];
type ProfileField = (typeof profileFields)[number];

/** Translated names for the proto enums; a missing case is a type error when proto grows. */
export const sectorLabel: Record<Sector, () => string> = {
  'public-administration': m.sector_public_administration,
  'private-enterprise': m.sector_private_enterprise,
  'academia-research': m.sector_academia_research,
  'civil-society': m.sector_civil_society,
};

export const expertiseLabel: Record<Expertise, () => string> = {
  creativity: m.expertise_creativity,
  'communication-marketing': m.expertise_communication_marketing,
  funding: m.expertise_funding,
  technology: m.expertise_technology,
};

export const profileFieldLabel: Record<ProfileField, () => string> = {
  displayName: m.field_display_name,
  bio: m.field_bio,
  organisation: m.field_organisation,
  sector: m.field_sector,
  country: m.field_country,
  languages: m.field_languages,
  expertise: m.field_expertise,
  avatar: m.field_avatar,
  cover: m.field_cover,
};

/** The platform roles, as a member's profile names them. */
export const roleLabel: Record<Role, () => string> = {
  member: m.platform_role_member,
  facilitator: m.platform_role_facilitator,
  admin: m.platform_role_admin,
};

/** The profile fields a member chooses to show or keep private. */
export const hideableFieldLabel: Record<HideableProfileField, () => string> = {
  bio: m.visibility_field_bio,
  organisation: m.field_organisation,
  sector: m.field_sector,
  languages: m.visibility_field_languages,
  expertise: m.field_expertise,
  cover: m.field_cover,
};
