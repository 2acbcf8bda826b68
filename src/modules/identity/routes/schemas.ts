import { Type } from 'typebox';
import { roles } from '../roles.ts';

export const RoleSchema = Type.Enum(roles);

/** The signed-in staff member as JSON APIs return them; `csrfToken` goes in `x-csrf-token` on writes. */
export const staffPrincipalSchema = Type.Object({
  staff: Type.Object({
    staffId: Type.String(),
    municipalityCode: Type.String(),
    userName: Type.String(),
    displayName: Type.String(),
    roles: Type.Immutable(Type.Array(RoleSchema)),
  }),
  csrfToken: Type.String(),
});

export const staffSummarySchema = Type.Object({
  staffId: Type.String(),
  municipalityCode: Type.String(),
  userName: Type.String(),
  displayName: Type.String(),
  roles: Type.Immutable(Type.Array(RoleSchema)),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});
