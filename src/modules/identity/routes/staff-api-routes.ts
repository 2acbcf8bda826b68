import { Type } from 'typebox';
import type { HttpApp, ZoneContext } from '../../../core/index.ts';
import { currentStaff, requireRole, requireTenant } from '../require-role.ts';
import { createStaffAccount, listStaff } from '../staff-accounts.ts';
import type { IdentityDb } from '../tables.ts';
import { RoleSchema, staffPrincipalSchema, staffSummarySchema } from './schemas.ts';

const LgCodeParams = Type.Object({ lgCode: Type.String({ maxLength: 20 }) });

const CreateStaffBody = Type.Object(
  {
    userName: Type.String({ minLength: 2, maxLength: 64 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 5, uniqueItems: true }),
    _csrf: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const CreatedStaffSchema = Type.Object({
  staff: staffSummarySchema,
  initialPassword: Type.String(),
  totpSecret: Type.String(),
  otpauthUri: Type.String(),
});

export function registerStaffApiRoutes(app: HttpApp, context: ZoneContext, db: IdentityDb): void {
  app.get(
    '/api/v1/staff/me',
    { preValidation: requireRole(), schema: { response: { 200: staffPrincipalSchema } } },
    async (request) => {
      const staff = currentStaff(request);
      return { staff, csrfToken: staff.csrfToken };
    },
  );

  app.get(
    '/api/v1/municipalities/:lgCode/staff',
    {
      preValidation: requireRole('admin'),
      schema: {
        params: LgCodeParams,
        response: { 200: Type.Object({ staff: Type.Array(staffSummarySchema) }) },
      },
    },
    async (request) => {
      const scope = requireTenant(request, request.params.lgCode);
      return { staff: await listStaff(db, scope) };
    },
  );

  /** Careful: the answer carries the initial password and TOTP secret, shown this once and never stored in clear. */
  app.post(
    '/api/v1/municipalities/:lgCode/staff',
    {
      preValidation: requireRole('admin'),
      schema: { params: LgCodeParams, body: CreateStaffBody, response: { 201: CreatedStaffSchema } },
    },
    async (request, reply) => {
      const scope = requireTenant(request, request.params.lgCode);
      const admin = currentStaff(request);
      const created = await createStaffAccount(db, scope, {
        userName: request.body.userName,
        displayName: request.body.displayName,
        roles: request.body.roles,
        issuer: `Machi ${context.zone} ${scope.municipalityCode}`,
        now: context.clock.now(),
        audit: { log: context.audit, actor: `staff:${admin.staffId}` },
      });
      return reply.status(201).send(created);
    },
  );
}
