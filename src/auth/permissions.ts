import type { ActorRole } from './roles';

/**
 * What a route may require, as `resource.action`. Every route declares one (or more) with `@Allow(…)`
 * or is `@Public()`; the global guard denies anything else. Who holds which permission is this table
 * only; `test/route-permissions.md` shows every route with the roles that may call it.
 */
export enum Permission {
  Self = 'self.read',
  /** Setting one's own password: people only (partner systems have a secret, not a password). */
  OwnPassword = 'self.password',
  NetworkRead = 'network.read',
  NetworkWrite = 'network.write',
  OfficeRead = 'office.read',
  OfficeWrite = 'office.write',
  UserRead = 'user.read',
  UserWrite = 'user.write',
  PartnerRead = 'partner.read',
  PartnerWrite = 'partner.write',
  ApiClientRead = 'api-client.read',
  ApiClientWrite = 'api-client.write',
  AuditRead = 'audit.read',
  ReferenceDataRead = 'reference-data.read',
  /** Personal data of the clients of the caller's own office. */
  ClientRead = 'client.read',
  ClientWrite = 'client.write',
  /** Art. 15/20 export and Art. 17 erasure of a client of the caller's own office. */
  ClientExport = 'client.export',
  ClientErase = 'client.erase',
  /** Recognition cases of the clients of the caller's own office. */
  RecognitionRead = 'recognition-case.read',
  RecognitionWrite = 'recognition-case.write',
  /** The clients the retention rule erases (ids and dates only): ADMIN, COORDINATOR for their network. */
  RetentionRead = 'retention.read',
  /** Running the retention rule now, and its runs. */
  RetentionRun = 'retention.run',
  /** The catalogue of adaptation qualifications (no personal data); written by its network's coordinators. */
  QualificationOfferRead = 'qualification-offer.read',
  QualificationOfferWrite = 'qualification-offer.write',
  /** An offer's enrolments without names (pseudonyms, offices, states), for its network's coordinators. */
  QualificationOfferEnrolments = 'qualification-offer.enrolments',
  /** Enrolments of the clients of the caller's own office. */
  EnrolmentRead = 'enrolment.read',
  EnrolmentWrite = 'enrolment.write',
  /** Referrals of the clients of the caller's own office to partners. */
  ReferralRead = 'referral.read',
  ReferralWrite = 'referral.write',
  /** A partner system's view of the referrals addressed to its partner, and its answers. */
  PartnerReferralRead = 'partner-referral.read',
  PartnerReferralWrite = 'partner-referral.write',
  /** A partner system's own webhook subscriptions and their deliveries (partner systems only). */
  PartnerWebhookRead = 'partner-webhook.read',
  PartnerWebhookWrite = 'partner-webhook.write',
}

const CLIENT_PERMISSIONS: readonly Permission[] = [
  Permission.ClientRead,
  Permission.ClientWrite,
  Permission.ClientExport,
  Permission.ClientErase,
];

const RECOGNITION_PERMISSIONS: readonly Permission[] = [
  Permission.RecognitionRead,
  Permission.RecognitionWrite,
];

const ENROLMENT_PERMISSIONS: readonly Permission[] = [Permission.EnrolmentRead, Permission.EnrolmentWrite];

const REFERRAL_PERMISSIONS: readonly Permission[] = [Permission.ReferralRead, Permission.ReferralWrite];

/** The referrals addressed to a partner system's partner, with client data: partner systems only. */
const PARTNER_REFERRAL_PERMISSIONS: readonly Permission[] = [
  Permission.PartnerReferralRead,
  Permission.PartnerReferralWrite,
];

/** Personal data of an office's clients: advisers of that office only. */
const OFFICE_DATA_PERMISSIONS: readonly Permission[] = [
  ...CLIENT_PERMISSIONS,
  ...RECOGNITION_PERMISSIONS,
  ...ENROLMENT_PERMISSIONS,
  ...REFERRAL_PERMISSIONS,
];

/** What only partner systems do, for themselves: no person's role has these. */
const PARTNER_ONLY_PERMISSIONS: readonly Permission[] = [
  Permission.PartnerWebhookRead,
  Permission.PartnerWebhookWrite,
  ...PARTNER_REFERRAL_PERMISSIONS,
];

/** What a network's coordinators keep for their network (an administrator belongs to none). */
const NETWORK_PERMISSIONS: readonly Permission[] = [
  Permission.QualificationOfferWrite,
  Permission.QualificationOfferEnrolments,
];

export const ROLE_PERMISSIONS: Readonly<Record<ActorRole, readonly Permission[]>> = {
  // Administrators set up the organisation; client personal data stays inside the offices.
  ADMIN: Object.values(Permission).filter(
    (permission) =>
      !OFFICE_DATA_PERMISSIONS.includes(permission) &&
      !NETWORK_PERMISSIONS.includes(permission) &&
      !PARTNER_ONLY_PERMISSIONS.includes(permission),
  ),
  COORDINATOR: [
    Permission.Self,
    Permission.OwnPassword,
    Permission.ReferenceDataRead,
    Permission.RetentionRead,
    Permission.QualificationOfferRead,
    ...NETWORK_PERMISSIONS,
  ],
  ADVISER: [
    Permission.Self,
    Permission.OwnPassword,
    Permission.ReferenceDataRead,
    Permission.QualificationOfferRead,
    ...OFFICE_DATA_PERMISSIONS,
  ],
  PARTNER: [Permission.Self, Permission.ReferenceDataRead, ...PARTNER_ONLY_PERMISSIONS],
};

/** Whether a route guarded by these permissions serves clients' personal data (refusals are audited). */
export function guardsPersonalData(permissions: readonly Permission[]): boolean {
  return permissions.some(
    (permission) =>
      OFFICE_DATA_PERMISSIONS.includes(permission) || PARTNER_REFERRAL_PERMISSIONS.includes(permission),
  );
}

export function roleHas(role: ActorRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
